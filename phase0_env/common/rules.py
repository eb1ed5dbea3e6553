"""The repository's layout rules as functions over a source tree, so tests can run them on the
real repository and on deliberately broken fixture trees.

- Import direction: a module in phase N never imports phase M > N.
- Milestone boundaries: a milestone imports a sibling milestone only if it declares it in
  `local_deps` (shared code otherwise lives in the phase's `common` package).
- Light phase packages: a phase's `__init__.py` never imports a heavy library.
- Milestone layout: every milestone folder has `milestone.py`, `README.md` and a `tests/`
  folder holding at least one test function.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

HEAVY = ("torch", "transformers", "faiss", "mlflow", "tensorflow", "jax", "ray", "sklearn")
PHASE_RE = re.compile(r"^phase(\d)_\w+$")
NOT_MILESTONES = {"tests", "common", "__pycache__"}


def phase_dirs(root: Path) -> list[Path]:
    """The phase packages under `root`, in phase order."""
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and PHASE_RE.match(p.name) and (p / "__init__.py").exists()
    )


def milestone_dirs(phase: Path) -> list[Path]:
    """Sub-packages of a phase that are milestones (not `common`, `tests` or private)."""
    return sorted(
        p
        for p in phase.iterdir()
        if p.is_dir()
        and (p / "__init__.py").exists()
        and p.name not in NOT_MILESTONES
        and not p.name.startswith(("_", "."))
    )


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every absolute import in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # `from phase1_x import classical_ml`
                yield node.lineno, f"{node.module}.{alias.name}"


def _py_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*.py")):
        if not any(part in {".venv", "__pycache__", "skeleton"} for part in path.parts):
            yield path


def import_direction_violations(root: Path) -> list[str]:
    """`path:line: ...` for every import of a higher phase from a lower one."""
    problems = []
    for phase in phase_dirs(root):
        level = int(PHASE_RE.match(phase.name).group(1))  # type: ignore[union-attr]
        for path in _py_files(phase):
            seen = set()
            for line, module in imported_modules(path):
                top = module.split(".", 1)[0]
                m = PHASE_RE.match(top)
                if m and int(m.group(1)) > level and (line, top) not in seen:
                    seen.add((line, top))
                    problems.append(
                        f"{path.relative_to(root)}:{line}: phase {level} "
                        f"imports higher phase {top} ({module})"
                    )
    return problems


def milestone_boundary_violations(root: Path, declared: Mapping[str, set[str]]) -> list[str]:
    """Imports of a sibling milestone that the importing milestone did not declare."""
    problems = []
    for phase in phase_dirs(root):
        names = {m.name for m in milestone_dirs(phase)}
        for milestone in milestone_dirs(phase):
            mid = f"{phase.name}.{milestone.name}"
            allowed = declared.get(mid, set())
            for path in _py_files(milestone):
                for line, module in imported_modules(path):
                    parts = module.split(".")
                    if len(parts) < 2 or parts[0] != phase.name or parts[1] not in names:
                        continue
                    target = f"{parts[0]}.{parts[1]}"
                    if target != mid and target not in allowed:
                        problems.append(
                            f"{path.relative_to(root)}:{line}: {mid} imports "
                            f"{module} without declaring {target} in local_deps"
                        )
    return problems


def heavy_imports_in_phase_inits(root: Path) -> list[str]:
    """Heavy libraries imported by a phase's `__init__.py` (they must load lazily)."""
    problems = []
    for phase in phase_dirs(root):
        init = phase / "__init__.py"
        for line, module in imported_modules(init):
            if module.split(".", 1)[0] in HEAVY:
                problems.append(f"{init.relative_to(root)}:{line}: imports {module}")
    return problems


def milestone_layout_problems(root: Path) -> list[str]:
    """Milestone folders missing `milestone.py`, `README.md` or a tests folder with a test."""
    problems = []
    for phase in phase_dirs(root):
        if not (phase / "README.md").exists():
            problems.append(f"{phase.name}: no README.md")
        for milestone in milestone_dirs(phase):
            rel = milestone.relative_to(root)
            if not (milestone / "milestone.py").exists():
                problems.append(f"{rel}: not registered (no milestone.py)")
            if not (milestone / "README.md").exists():
                problems.append(f"{rel}: no README.md")
            tests = milestone / "tests"
            if not tests.is_dir():
                problems.append(f"{rel}: no tests/ folder")
            elif not any(
                "def test_" in p.read_text(encoding="utf-8") for p in tests.rglob("test_*.py")
            ):
                problems.append(f"{rel}: tests/ holds no test function")
    return problems
