"""`{{name}}` placeholders in skeleton files and paths, filled from a context dict.

GitHub Actions expressions (`${{ matrix.python-version }}`) are never placeholders, so a
workflow file needs no escaping. An unknown placeholder is an error, never left in the output.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path

PLACEHOLDER = re.compile(r"(?<!\$)\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
DOT_PREFIX = "dot-"  # skeleton `dot-gitignore` -> `.gitignore` (dotfiles are lost by packaging)
TEMPLATE_SUFFIX = ".tmpl"  # `core.py.tmpl` -> `core.py` (keeps pytest and linters out of it)


def render(text: str, context: Mapping[str, str], *, where: str = "template") -> str:
    """Fill every placeholder; e.g. render("pkg {{name}}", {"name": "x"}) -> "pkg x"."""

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in context:
            known = ", ".join(sorted(context))
            raise KeyError(f"unknown placeholder {{{{{key}}}}} in {where}; known: {known}")
        return context[key]

    return PLACEHOLDER.sub(fill, text)


def output_name(part: str, context: Mapping[str, str]) -> str:
    """The generated name of one path part: placeholders filled, `dot-` and `.tmpl` undone."""
    part = render(part, context, where=f"path part {part!r}")
    if part.startswith(DOT_PREFIX):
        part = "." + part[len(DOT_PREFIX) :]
    if part.endswith(TEMPLATE_SUFFIX):
        part = part[: -len(TEMPLATE_SUFFIX)]
    return part


def render_tree(skeleton: Path, dest: Path, context: Mapping[str, str]) -> list[Path]:
    """Write every file of `skeleton` under `dest`, rendered; returns the files written."""
    written = []
    for source in sorted(p for p in skeleton.rglob("*") if p.is_file()):
        rel = source.relative_to(skeleton)
        if "__pycache__" in rel.parts:
            continue
        target = dest.joinpath(*(output_name(part, context) for part in rel.parts))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            shutil.copyfile(source, target)  # binary files are copied as they are
        else:
            target.write_text(render(text, context, where=str(rel)), encoding="utf-8")
        shutil.copymode(source, target)
        written.append(target)
    return written
