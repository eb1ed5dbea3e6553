"""Which roadmap modules a milestone needs outside its own folder, module by module.

Starting from the milestone's files, follow every reference to a roadmap module (an import,
or a string that names one such as `"phase0_env.hello_service.app:create_app"` or
`find_spec("...")`) to the file that defines it, and repeat on those files. A starter then
vendors exactly these files, so a milestone that uses one helper of the shared kit gets that
helper (and what it imports), not the whole kit.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PHASE_NAME = re.compile(r"phase\d_\w+")
DOTTED = re.compile(r"\bphase\d_\w+(?:\.\w+)+")
# Files of a milestone that only serve the roadmap itself (its registry entry).
ROADMAP_ONLY = {"milestone.py"}
TEXT_SCANNED = {".yaml", ".yml", ".toml", ".json", ".cfg", ".ini", ".service", ".txt"}


def phase_folder(phase: str) -> Path | None:
    """Where the phase package `phase` lives (found without importing it), or None."""
    spec = importlib.util.find_spec(phase)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


@dataclass
class Closure:
    """The roadmap modules outside `milestone` that its files need, with their source files."""

    milestone: str
    modules: dict[str, Path] = field(default_factory=dict)

    @property
    def units(self) -> list[str]:
        """The vendored units: `phaseN_x.sub` packages or modules, each renamed as one."""
        return sorted({".".join(name.split(".")[:2]) for name in self.modules})


def module_source(dotted: str) -> Path | None:
    """The file that defines the roadmap module `dotted`, or None if there is none."""
    phase, *rest = dotted.split(".")
    folder = phase_folder(phase) if PHASE_NAME.fullmatch(phase) else None
    if folder is None or not rest:
        return None
    base = folder.joinpath(*rest)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def resolve(reference: str) -> str | None:
    """The longest importable module prefix of a dotted reference (`a.b.func` -> `a.b`)."""
    parts = reference.split(":")[0].split(".")
    for end in range(len(parts), 1, -1):
        name = ".".join(parts[:end])
        if module_source(name) is not None:
            return name
    return None


def module_name(path: Path) -> str | None:
    """The dotted name of a roadmap source file (`.../phase1_x/native_ops/ops.py` ->
    `phase1_x.native_ops.ops`), or None outside a phase package."""
    parts = list(path.with_suffix("").parts)
    starts = [i for i, part in enumerate(parts) if PHASE_NAME.fullmatch(part)]
    if not starts:
        return None
    dotted = parts[starts[-1] :]
    return ".".join(dotted[:-1] if dotted[-1] == "__init__" else dotted)


def _absolute(node: ast.ImportFrom, path: Path) -> list[str]:
    """`from .x import y` in `a/b/c.py` -> `a.b.x`, `a.b.x.y` (relative to its package)."""
    here = module_name(path)
    if here is None:
        return []
    package = here.split(".") if path.name == "__init__.py" else here.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    if node.module:
        base = [*base, *node.module.split(".")]
    return [".".join(base), *(".".join([*base, alias.name]) for alias in node.names)]


def references(path: Path) -> Iterator[str]:
    """Every dotted roadmap name a file refers to: imports (relative ones made absolute),
    and strings that are one."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        yield from DOTTED.findall(text)
        return
    tree = ast.parse(text, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield from _absolute(node, path)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value.strip()
            if re.fullmatch(r"phase\d_\w+(?:\.\w+)+(?::\w+)?", value):
                yield value


def scanned_files(folder: Path) -> Iterator[Path]:
    """The milestone's files whose references count (code, tests and config, not prose)."""
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file() or path.name in ROADMAP_ONLY:
            continue
        if path.suffix == ".py" or path.suffix in TEXT_SCANNED or path.name == "Dockerfile":
            yield path


def milestone_closure(milestone_id: str) -> Closure:
    """The modules outside `milestone_id` that its code, tests and config reach."""
    folder = module_source(milestone_id)
    if folder is None or folder.name != "__init__.py":
        raise LookupError(f"milestone package {milestone_id!r} cannot be found")
    folder = folder.parent
    closure = Closure(milestone_id)
    todo: list[Path] = list(scanned_files(folder))
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for ref in references(path):
            name = resolve(ref)
            if name is None or _inside(name, milestone_id):
                continue
            for needed in _with_parents(name):
                if needed not in closure.modules:
                    source = module_source(needed)
                    assert source is not None
                    closure.modules[needed] = source
                    todo.append(source)
    return closure


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _with_parents(name: str) -> Iterable[str]:
    """`a.b.c.d` -> `a.b`, `a.b.c`, `a.b.c.d`: the packages above a module come with it
    (never the phase package `a` itself: a starter has no phase)."""
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(2, len(parts) + 1)]
