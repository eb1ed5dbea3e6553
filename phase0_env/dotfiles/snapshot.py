"""A comparable picture of a folder tree: "changed nothing" and "restored exactly" as tests."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def tree_snapshot(root: Path) -> dict[str, tuple]:
    """{relative path: (kind, mode, content or link target, mtime_ns)} for everything under root.

    Symlinks are recorded, never followed (a broken link is an entry like any other). Folder
    mtimes are left out: adding and removing a child changes them by design.
    """
    root = Path(root)
    picture: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            rel = str(path.relative_to(root))
            mode = stat.S_IMODE(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                picture[rel] = ("link", None, os.readlink(path), None)
            elif stat.S_ISDIR(info.st_mode):
                picture[rel] = ("dir", mode, None, None)
            else:
                picture[rel] = ("file", mode, path.read_bytes(), info.st_mtime_ns)
    return picture


def make_lived_in_home(home: Path) -> Path:
    """A HOME that already has dotfiles: a real file, a foreign link, a broken link, a folder."""
    home.mkdir(parents=True, exist_ok=True)
    bashrc = home / ".bashrc"
    bashrc.write_text("# my old bashrc\nexport OLD=1\n")
    bashrc.chmod(0o600)
    (home / "dotfiles-elsewhere").mkdir()
    (home / "dotfiles-elsewhere" / "gitconfig").write_text("[user]\n\tname = Old Me\n")
    (home / ".gitconfig").symlink_to(home / "dotfiles-elsewhere" / "gitconfig")
    (home / ".tmux.conf").symlink_to(home / "no-such-file")  # broken
    (home / ".config").mkdir()
    (home / ".config" / "other-tool.toml").write_text("keep = true\n")
    return home
