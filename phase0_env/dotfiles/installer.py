"""The symlink installer: idempotent, backs up what it replaces, and undoes itself exactly.

`install(home)` links each shipped file into `home`. A file, directory or foreign (even
broken) symlink already at a target is renamed to `<name>.bak-<timestamp>[-n]` first; a
manifest under `home/.local/state/roadmap-dotfiles/` records the backups and the folders
created, so `uninstall(home)` removes exactly our links and renames the backups back.
`dry_run=True` returns the same plan and touches nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phase0_env.dotfiles.links import default_links

MANIFEST = Path(".local/state/roadmap-dotfiles/manifest.json")


@dataclass(frozen=True)
class Action:
    """One step the installer took (or, in a dry run, would take)."""

    kind: str  # link, relink, skip, backup, mkdir, unlink, restore, keep, rmdir
    path: Path
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind:<8} {self.path}" + (f"  {self.detail}" if self.detail else "")


def install(
    home: Path,
    *,
    links: Mapping[Path, str] | None = None,
    dry_run: bool = False,
) -> list[Action]:
    """Symlink every shipped file (or `links`: {source: path under home}) into `home`."""
    home = Path(home).expanduser().absolute()
    links = default_links() if links is None else links
    manifest = _load_manifest(home)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    actions: list[Action] = []
    for source_path, rel in links.items():
        source = Path(source_path).resolve()
        if not source.is_file():
            raise FileNotFoundError(f"dotfile to install is missing: {source}")
        target = home / rel
        if target.is_symlink() and _points_to(target, source):
            actions.append(Action("skip", target, "already linked"))
            continue
        entry = manifest["links"].setdefault(str(target), {"source": str(source), "backups": []})
        for folder in _missing_parents(target, home):
            actions.append(Action("mkdir", folder))
            if not dry_run:
                folder.mkdir()
                manifest["created_dirs"].append(str(folder))
        if target.is_symlink() and _points_to(target, Path(entry["source"])):
            # Our own link from an earlier checkout location: replace it, no backup needed.
            actions.append(Action("relink", target, f"-> {source}"))
            if not dry_run:
                target.unlink()
        elif os.path.lexists(target):
            backup = _free_backup_name(target, stamp)
            actions.append(Action("backup", target, f"moved to {backup.name}"))
            if not dry_run:
                os.rename(target, backup)
                entry["backups"].append(str(backup))
            actions.append(Action("link", target, f"-> {source}"))
        else:
            actions.append(Action("link", target, f"-> {source}"))
        if not dry_run:
            os.symlink(source, target)
            entry["source"] = str(source)
    if not dry_run and any(a.kind != "skip" for a in actions):
        _save_manifest(home, manifest)
    return actions


def uninstall(home: Path, *, dry_run: bool = False) -> list[Action]:
    """Remove our links, rename the latest backups back and drop the folders we created."""
    home = Path(home).expanduser().absolute()
    manifest = _load_manifest(home)
    actions: list[Action] = []
    for target_str, entry in manifest["links"].items():
        target, backups = Path(target_str), [Path(b) for b in entry["backups"]]
        if target.is_symlink() and _points_to(target, Path(entry["source"])):
            actions.append(Action("unlink", target))
            if not dry_run:
                target.unlink()
        elif os.path.lexists(target):
            # Changed by hand since install: never overwrite the user's work.
            actions.append(Action("keep", target, "changed since install; left alone"))
            actions.extend(Action("keep", b, "backup left in place") for b in backups)
            continue
        if backups and os.path.lexists(backups[-1]):
            actions.append(Action("restore", target, f"from {backups[-1].name}"))
            if not dry_run:
                os.rename(backups[-1], target)
        actions.extend(Action("keep", b, "older backup left in place") for b in backups[:-1])
    manifest_path = home / MANIFEST
    if manifest_path.exists():
        actions.append(Action("unlink", manifest_path, "manifest"))
        if not dry_run:
            manifest_path.unlink()
    # Paths gone after this uninstall, so a dry run plans the same rmdirs as a real run.
    gone = {a.path for a in actions if a.kind == "unlink"}
    for folder in map(Path, reversed(manifest["created_dirs"])):
        if folder.is_dir() and all(child in gone for child in folder.iterdir()):
            actions.append(Action("rmdir", folder))
            gone.add(folder)
            if not dry_run:
                folder.rmdir()
    return actions


def _points_to(link: Path, source: Path) -> bool:
    target = Path(os.readlink(link))
    if not target.is_absolute():
        target = link.parent / target
    return os.path.normpath(target) == os.path.normpath(source)


def _missing_parents(target: Path, home: Path) -> list[Path]:
    """Folders between `home` and `target` that do not exist yet, outermost first."""
    missing = []
    folder = target.parent
    while folder != home and not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    return list(reversed(missing))


def _free_backup_name(target: Path, stamp: str) -> Path:
    """`name.bak-<stamp>`, or `name.bak-<stamp>-1`, `-2` ... when taken (same second)."""
    candidate = target.with_name(f"{target.name}.bak-{stamp}")
    n = 0
    while os.path.lexists(candidate):
        n += 1
        candidate = target.with_name(f"{target.name}.bak-{stamp}-{n}")
    return candidate


def _load_manifest(home: Path) -> dict[str, Any]:
    path = home / MANIFEST
    if path.exists():
        return json.loads(path.read_text())
    return {"version": 1, "links": {}, "created_dirs": []}


def _save_manifest(home: Path, manifest: dict[str, Any]) -> None:
    path = home / MANIFEST
    for folder in _missing_parents(path, home):
        folder.mkdir()
        manifest["created_dirs"].append(str(folder))
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2))
    tmp.replace(path)
