"""`python -m phase0_env.dotfiles install|uninstall [--dry-run] [--home DIR]`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from phase0_env.dotfiles.installer import install, uninstall


def main(argv: Sequence[str] | None = None) -> int:
    """Run the installer from the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m phase0_env.dotfiles",
        description="Symlink the roadmap dotfiles into HOME (backups kept), or undo that.",
    )
    parser.add_argument("command", nargs="?", choices=("install", "uninstall"), default="install")
    parser.add_argument("--uninstall", action="store_true", help="same as the uninstall command")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--home", type=Path, default=Path.home(), help="default: your HOME")
    args = parser.parse_args(argv)
    removing = args.uninstall or args.command == "uninstall"
    run = uninstall if removing else install
    actions = run(args.home, dry_run=args.dry_run)
    prefix = "would " if args.dry_run else ""
    for action in actions:
        print(f"{prefix}{action}")
    changed = sum(a.kind not in ("skip", "keep") for a in actions)
    verb = "uninstall" if removing else "install"
    print(
        f"{verb}: {changed} change(s){' planned (dry run)' if args.dry_run else ''} in {args.home}"
    )
    return 0
