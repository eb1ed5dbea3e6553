"""`copy_milestone(milestone, dest)`: a milestone as a standalone project (`roadmap new`).

The milestone's package becomes `src/<pkg>/` (its tests go to `tests/`), the shared kit
`phase0_env.common` is vendored as `<pkg>.common`, every milestone or phase `common` it
imports (its `local_deps`, found by following imports) becomes a sub-package, and every
dotted reference is rewritten: `phase0_env.common` -> `<pkg>.common`,
`phase2_tabular.tabular_api` -> `<pkg>.tabular_api`, the milestone itself -> `<pkg>`.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
import shutil
from pathlib import Path

from phase0_env.common.registry import Milestone
from phase0_env.common.rules import imported_modules
from phase0_env.template.generate import prepare_dest, validate_name
from phase0_env.template.render import render_tree

SKELETON = Path(__file__).resolve().parent / "skeleton"
PHASE_MODULE = re.compile(r"^(phase\d_\w+)\.(\w+)")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".toml",
    ".yaml",
    ".yml",
    ".txt",
    ".cfg",
    ".json",
    ".service",
    ".ini",
}
DOCKER_JOB = """
  docker:
    runs-on: ubuntu-latest
    needs: test
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t {dist_name} .
"""


def copy_milestone(milestone: Milestone, dest: Path, *, package: str | None = None) -> Path:
    """Write `milestone` as a standalone project into `dest` (created; must be empty)."""
    pkg = package or milestone.name
    validate_name(pkg)
    dest = prepare_dest(Path(dest))
    src = dest / "src" / pkg
    top_level = ("tests", "Dockerfile", "README.md")  # moved to the project root instead
    shutil.copytree(milestone.folder, src, ignore=_ignore(milestone.folder, top_level))
    if (milestone.folder / "tests").is_dir():
        shutil.copytree(milestone.folder / "tests", dest / "tests", ignore=SKIP)
    mapping = {milestone.id: pkg}
    _vendor("phase0_env.common", src / "common", f"{pkg}.common", mapping)
    for dep in milestone.local_deps:
        _vendor_reference(dep, src, pkg, mapping)
    _vendor_imports(dest, src, pkg, mapping)
    _rewrite_tree(dest, mapping)
    _check_no_phase_imports(dest)

    factory = _service_factory(src, pkg)
    context = {
        "name": pkg,
        "dist_name": pkg.replace("_", "-"),
        "milestone_id": milestone.id,
        "title_toml": json.dumps(milestone.title),
        "claim": milestone.claim,
        "dependencies_toml": "".join(
            f"\n    {json.dumps(r)}," for r in pinned(milestone.requirements)
        )
        + ("\n" if milestone.requirements else ""),
        "docker_job": DOCKER_JOB.format(dist_name=pkg.replace("_", "-")) if factory else "",
        "factory": factory or "",
    }
    render_tree(SKELETON / "starter", dest, context)
    if factory:
        render_tree(SKELETON / "starter_docker", dest, context)
    readme = milestone.folder / "README.md"
    if readme.exists():
        with (dest / "README.md").open("a", encoding="utf-8") as out:
            out.write(_rewrite(readme.read_text(encoding="utf-8"), mapping))
    return dest


def pinned(requirements: tuple[str, ...]) -> list[str]:
    """Each requirement with a lower bound at the installed major.minor, e.g. "numpy>=2.3"."""
    out = []
    for req in requirements:
        if re.search(r"[<>=!~ ;\[]", req):
            out.append(req)  # already carries a specifier or extras
            continue
        try:
            major_minor = ".".join(importlib.metadata.version(req).split(".")[:2])
        except importlib.metadata.PackageNotFoundError:
            out.append(req)
        else:
            out.append(f"{req}>={major_minor}")
    return out


def _vendor(module: str, target: Path, new_name: str, mapping: dict[str, str]) -> None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"cannot vendor {module!r}: it is not a package")
    source = Path(next(iter(spec.submodule_search_locations)))
    shutil.copytree(source, target, ignore=_ignore(source, ("tests",)))
    mapping[module] = new_name


def _ignore(root: Path, top_level: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """copytree's ignore: caches everywhere, `top_level` names only directly under `root`."""

    def ignore(folder: str, entries: list[str]) -> set[str]:
        skipped = set(SKIP(folder, entries))
        if Path(folder) == root:
            skipped |= {e for e in entries if e in top_level}
        return skipped

    return ignore


def _vendor_reference(module: str, src: Path, pkg: str, mapping: dict[str, str]) -> None:
    """Vendor the package `phaseN_x.sub` as `<pkg>.sub` (`<pkg>.phaseN_x_common` for commons)."""
    phase, _, sub = module.partition(".")
    local = f"{phase}_common" if sub == "common" else sub
    if (src / local).exists() or (src / f"{local}.py").exists():
        local = f"{phase}_{sub}"  # a clash with one of the milestone's own modules
    _vendor(module, src / local, f"{pkg}.{local}", mapping)


def _vendor_imports(dest: Path, src: Path, pkg: str, mapping: dict[str, str]) -> None:
    """Follow imports until every imported phase package is vendored (the closure)."""
    while True:
        missing = set()
        for path in dest.rglob("*.py"):
            for _, module in imported_modules(path):
                match = PHASE_MODULE.match(module)
                if match and f"{match[1]}.{match[2]}" not in mapping:
                    missing.add(f"{match[1]}.{match[2]}")
        missing = {m for m in missing if _is_package(m)}
        if not missing:
            return
        for module in sorted(missing):
            _vendor_reference(module, src, pkg, mapping)


def _is_package(module: str) -> bool:
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        return False
    return spec is not None and bool(spec.submodule_search_locations)


def _rewrite(text: str, mapping: dict[str, str]) -> str:
    names = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, names)) + r")(?!\w)")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def _rewrite_tree(dest: Path, mapping: dict[str, str]) -> None:
    for path in dest.rglob("*"):
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name == "Dockerfile"):
            text = path.read_text(encoding="utf-8")
            new = _rewrite(text, mapping)
            if new != text:
                path.write_text(new, encoding="utf-8")


def _check_no_phase_imports(dest: Path) -> None:
    left = sorted(
        f"{path.relative_to(dest)}:{line}: {module}"
        for path in dest.rglob("*.py")
        for line, module in imported_modules(path)
        if PHASE_MODULE.match(module) or re.fullmatch(r"phase\d_\w+", module)
    )
    if left:
        raise ValueError("the starter still imports roadmap packages:\n" + "\n".join(left))


def _service_factory(src: Path, pkg: str) -> str | None:
    """`<pkg>.app:create_app` when the milestone is a service (an app factory in app.py)."""
    app = src / "app.py"
    if app.exists() and re.search(r"^def create_app\(", app.read_text(), flags=re.M):
        return f"{pkg}.app:create_app"
    return None
