"""Behaviour checks (no reference library): dry run, idempotence, backups and exact restore."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from phase0_env.common.parity import ParityResult, behaviour
from phase0_env.dotfiles.installer import install, uninstall
from phase0_env.dotfiles.links import default_links
from phase0_env.dotfiles.snapshot import make_lived_in_home, tree_snapshot


def checks() -> list[ParityResult]:
    """Install into a lived-in temporary HOME and check each promise of the installer."""
    with tempfile.TemporaryDirectory(prefix="dotfiles-parity-") as tmp:
        home = make_lived_in_home(Path(tmp) / "home")
        links = default_links("linux")
        original = tree_snapshot(home)
        results = []

        install(home, links=links, dry_run=True)
        results.append(_same("dry-run install touches nothing", original, tree_snapshot(home)))

        actions = install(home, links=links)
        linked = [
            (home / rel).is_symlink() and os.path.samefile(home / rel, src)
            for src, rel in links.items()
        ]
        results.append(
            behaviour("install links every dotfile", all(linked), f"{sum(linked)}/{len(links)}")
        )
        backups = {a.path.name: a for a in actions if a.kind == "backup"}
        results.append(
            behaviour(
                "existing file, foreign link and broken link are backed up",
                set(backups) == {".bashrc", ".gitconfig", ".tmux.conf"},
                f"backed up: {sorted(backups)}",
            )
        )
        (bashrc_backup,) = home.glob(".bashrc.bak-*")
        results.append(
            behaviour(
                "a backup keeps the old content",
                bashrc_backup.read_text() == "# my old bashrc\nexport OLD=1\n",
            )
        )
        after_first = tree_snapshot(home)
        second = install(home, links=links)
        results.append(
            behaviour(
                "second install changes nothing",
                all(a.kind == "skip" for a in second) and tree_snapshot(home) == after_first,
                f"kinds: {sorted({a.kind for a in second})}",
            )
        )
        uninstall(home, dry_run=True)
        results.append(_same("dry-run uninstall touches nothing", after_first, tree_snapshot(home)))
        uninstall(home)
        results.append(
            _same("uninstall restores the original tree exactly", original, tree_snapshot(home))
        )
    return results


def _same(name: str, before: dict, after: dict) -> ParityResult:
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return behaviour(name, not changed, f"changed: {changed[:5]}" if changed else "identical")
