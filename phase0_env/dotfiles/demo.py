"""Demo: install the dotfiles into a temporary, lived-in HOME; run it twice; then undo it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from phase0_env.dotfiles.installer import Action, install, uninstall
from phase0_env.dotfiles.links import default_links
from phase0_env.dotfiles.snapshot import make_lived_in_home, tree_snapshot


def main(quick: bool = False) -> None:
    """Dry run, install, install again (no change), uninstall (exact restore), in a temp HOME."""
    with tempfile.TemporaryDirectory(prefix="dotfiles-demo-") as tmp:
        home = make_lived_in_home(Path(tmp) / "home")
        links = default_links()
        before = tree_snapshot(home)
        print(
            f"temporary HOME: {home} (has .bashrc, a foreign .gitconfig link, a broken .tmux.conf)"
        )
        _show("install --dry-run", install(home, links=links, dry_run=True), home)
        print(f"  tree unchanged by the dry run: {tree_snapshot(home) == before}")
        _show("install", install(home, links=links), home)
        _show("install (again)", install(home, links=links), home)
        _show("uninstall", uninstall(home), home)
        print(
            f"\nHOME identical to before install (content, modes, links, mtimes): "
            f"{tree_snapshot(home) == before}"
        )
        print(
            "Reference: a plain `ln -sf` loop would have overwritten .bashrc with no backup "
            "and could not be undone."
        )


def _show(title: str, actions: list[Action], home: Path) -> None:
    print(f"\n$ python -m phase0_env.dotfiles {title} --home $HOME")
    for action in actions:
        print("  " + str(action).replace(str(home), "~"))
    changes = sum(a.kind not in ("skip", "keep") for a in actions)
    print(f"  -> {changes} change(s)")
