"""Checks on a generated tree, shared by the parity checks, the tests and the benchmark."""

from __future__ import annotations

import re
from pathlib import Path

# Every file `new_project("NAME", dest)` must write, with NAME standing for the package name.
EXPECTED_PROJECT_FILES = (
    ".dockerignore",
    ".github/workflows/ci.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "Dockerfile",
    "Makefile",
    "README.md",
    "pyproject.toml",
    "src/NAME/__init__.py",
    "src/NAME/__main__.py",
    "src/NAME/cli.py",
    "src/NAME/core.py",
    "src/NAME/py.typed",
    "tests/test_core.py",
)
LEFTOVER = re.compile(r"(?<!\$)\{\{")  # `${{ ... }}` is a GitHub Actions expression, not ours
PHASE_IMPORT = re.compile(r"^\s*(from|import)\s+phase\d_\w+", flags=re.M)


def tree_files(root: Path) -> list[str]:
    """Every file under `root`, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def expected_files(name: str) -> list[str]:
    """EXPECTED_PROJECT_FILES for the package `name`."""
    return sorted(f.replace("NAME", name) for f in EXPECTED_PROJECT_FILES)


def leftover_placeholders(root: Path) -> list[str]:
    """`path:line` of every `{{` left in a file (or a path) under `root`."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if "{{" in rel:
            found.append(f"{rel}: placeholder in the path")
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if LEFTOVER.search(line):
                    found.append(f"{rel}:{number}: {line.strip()}")
    return found


def compile_errors(root: Path) -> list[str]:
    """Every generated Python file that does not compile, with the error."""
    errors = []
    for path in sorted(root.rglob("*.py")):
        try:
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        except SyntaxError as exc:
            errors.append(f"{path.relative_to(root)}: {exc}")
    return errors


def phase_imports(root: Path) -> list[str]:
    """Imports of a roadmap phase package left in a starter (there must be none)."""
    return [
        f"{path.relative_to(root)}: {m.group(0).strip()}"
        for path in sorted(root.rglob("*.py"))
        for m in PHASE_IMPORT.finditer(path.read_text(encoding="utf-8"))
    ]


def dockerfile_basics(text: str) -> list[str]:
    """The house rules a generated Dockerfile must keep: slim base, non-root, a HEALTHCHECK."""
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    problems = []
    froms = [line.split()[1] for line in lines if line.upper().startswith("FROM ")]
    if not froms or "slim" not in froms[-1]:
        problems.append(f"final base is not slim: {froms[-1:] or 'none'}")
    users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
    if not users or users[-1] in {"root", "0"}:
        problems.append("runs as root (no non-root USER)")
    if not any(line.upper().startswith("HEALTHCHECK ") for line in lines):
        problems.append("no HEALTHCHECK")
    if any(line.upper().startswith("ADD ") and "://" in line for line in lines):
        problems.append("ADD from a URL")
    return problems
