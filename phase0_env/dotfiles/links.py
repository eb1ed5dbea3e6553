"""Which shipped file goes where under $HOME."""

from __future__ import annotations

import sys
from pathlib import Path

FILES_DIR = Path(__file__).resolve().parent / "files"

# Where VS Code reads user settings, relative to $HOME, by platform.
VSCODE_SETTINGS = {
    "linux": ".config/Code/User/settings.json",
    "darwin": "Library/Application Support/Code/User/settings.json",
    "win32": "AppData/Roaming/Code/User/settings.json",
}


def default_links(platform: str | None = None) -> dict[Path, str]:
    """{shipped file: target relative to $HOME}; e.g. files/bashrc -> ".bashrc"."""
    platform = platform or sys.platform
    return {
        FILES_DIR / "bashrc": ".bashrc",
        FILES_DIR / "zshrc": ".zshrc",
        FILES_DIR / "gitconfig": ".gitconfig",
        FILES_DIR / "tmux.conf": ".tmux.conf",
        FILES_DIR / "editorconfig": ".editorconfig",
        FILES_DIR / "vscode" / "settings.json": VSCODE_SETTINGS.get(
            platform, VSCODE_SETTINGS["linux"]
        ),
    }
