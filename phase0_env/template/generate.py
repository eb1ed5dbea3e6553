"""`new_project(name, dest)`: a new package from the one-click skeleton (`roadmap new-project`)."""

from __future__ import annotations

import keyword
import re
import sys
from pathlib import Path

from phase0_env.template.render import render_tree

SKELETON = Path(__file__).resolve().parent / "skeleton" / "project"
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")


def new_project(name: str, dest: Path, *, description: str | None = None) -> Path:
    """Write the project `name` into `dest` (created; must be empty) and return `dest`."""
    validate_name(name)
    description = description or f"{name}: a Python package made with the roadmap template."
    if len(description) > 90 or any(c in description for c in '"\\\n'):
        # It lands in a TOML string and a one-line docstring: keep both valid and lint-clean.
        raise ValueError("description: one line, at most 90 characters, no quotes or backslashes")
    dest = prepare_dest(Path(dest))
    context = {"name": name, "dist_name": name.replace("_", "-"), "description": description}
    render_tree(SKELETON, dest, context)
    return dest


def validate_name(name: str) -> None:
    """Raise ValueError unless `name` can be a lowercase import package of its own."""
    if not NAME_RE.fullmatch(name or ""):
        raise ValueError(
            f"invalid project name {name!r}: use a lowercase Python identifier "
            "(letters, digits, underscores; starting with a letter), e.g. 'my_project'"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ValueError(f"invalid project name {name!r}: it is a Python keyword")
    if name in sys.stdlib_module_names:
        raise ValueError(f"invalid project name {name!r}: it would shadow the standard library")


def prepare_dest(dest: Path) -> Path:
    """`dest` as an existing, empty folder; refuses a file or a folder with anything in it."""
    dest = dest.expanduser().absolute()
    if dest.exists() and not dest.is_dir():
        raise FileExistsError(f"destination {dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise FileExistsError(f"destination {dest} is not empty; choose a new or empty folder")
    dest.mkdir(parents=True, exist_ok=True)
    return dest
