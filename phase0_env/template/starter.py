"""`copy_milestone(milestone, dest)`: a milestone as a standalone project (`roadmap new`).

The milestone's package becomes `src/<pkg>/` (its tests go to `tests/`, its Dockerfile and
README to the root). Only the roadmap modules it reaches are vendored (`closure.py`), each
unit renamed into the package: `phase0_env.common` -> `<pkg>.common`, a phase's `common`
-> `<pkg>.phaseN_x_common`, another milestone `phaseN_x.name` -> `<pkg>.name`. Its
dependencies come from its imports (`requirements.py`), pinned like the repository; C++
sources are built by the starter's own `setup.py`, never copied as binaries.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from phase0_env.common.registry import Milestone
from phase0_env.common.rules import imported_modules
from phase0_env.template.closure import milestone_closure, phase_folder
from phase0_env.template.generate import prepare_dest, validate_name
from phase0_env.template.readme import rewrite_readme
from phase0_env.template.render import render_tree
from phase0_env.template.requirements import (
    NO_DEPS,
    Requirements,
    install_size,
    pinned,
    requirements_of,
)

SKELETON = Path(__file__).resolve().parent / "skeleton"
GRADER = Path(__file__).resolve().parent / "grade.py"
PHASE_MODULE = re.compile(r"^(phase\d_\w+)\.(\w+)")
SKIP_NAMES = {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}
# Built artefacts are never copied: the starter compiles its own from the sources.
BINARY_SUFFIXES = {".so", ".pyd", ".dll", ".dylib", ".o", ".a", ".pyc", ".exe", ".obj"}
BINARY_MAGIC = (b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
BUILD_MARKERS = {".built"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".yaml", ".yml", ".txt", ".cfg", ".json"}
TEXT_SUFFIXES |= {".service", ".ini", ".tmpl", ".j2", ".sh", ".html"}
DOCKER_JOB = """
  docker:
    runs-on: ubuntu-latest
    needs: test
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t {dist_name} .
"""


@dataclass
class StarterPlan:
    """Everything a starter will hold, decided before a single file is written."""

    milestone: Milestone
    pkg: str
    mapping: dict[str, str] = field(default_factory=dict)  # roadmap name -> starter name
    files: dict[str, Path] = field(default_factory=dict)  # starter path -> source file
    requirements: Requirements = field(default_factory=Requirements)
    native: dict[str, str] = field(default_factory=dict)  # extension module -> .cpp path

    @property
    def torch(self) -> bool:
        return "torch" in self.requirements.runtime | self.requirements.test


def plan_starter(milestone: Milestone, pkg: str | None = None) -> StarterPlan:
    """Work out a starter's files, renames and dependencies without writing anything."""
    pkg = pkg or milestone.name
    validate_name(pkg)
    # The milestone's tests move to the project root, where pytest puts `tests` on the path.
    plan = StarterPlan(
        milestone, pkg, mapping={milestone.id: pkg, f"{milestone.id}.tests": "tests"}
    )
    folder = milestone.folder
    for path in _files(folder):
        rel = path.relative_to(folder)
        top = rel.parts[0]
        if len(rel.parts) == 1 and top in ("milestone.py", "README.md"):
            continue  # the registry entry stays home; the README is rewritten separately
        if top == "tests":
            plan.files[rel.as_posix()] = path
        elif len(rel.parts) == 1 and top == "Dockerfile":
            plan.files["Dockerfile"] = path
        else:
            plan.files[f"src/{pkg}/{rel.as_posix()}"] = path
    own = {Path(p).parts[2].removesuffix(".py") for p in plan.files if p.startswith("src/")}
    closure = milestone_closure(milestone.id)
    for unit in closure.units:
        plan.mapping[unit] = f"{pkg}.{_local_name(unit, own | _locals(plan))}"
    for name, source in closure.modules.items():
        unit = ".".join(name.split(".")[:2])
        local = plan.mapping[unit].split(".", 1)[1]
        rest = name.split(".")[2:]
        target = "/".join([local, *rest])
        target += "/__init__.py" if source.name == "__init__.py" else ".py"
        plan.files[f"src/{pkg}/{target}"] = source
        if source.name == "__init__.py":
            for data, data_rel in _package_data(source.parent):
                plan.files[f"src/{pkg}/{'/'.join([local, *rest])}/{data_rel}"] = data
    code = [
        s
        for p, s in plan.files.items()
        if p.startswith("src/") and s.suffix == ".py" and "skeleton" not in Path(p).parts
    ]
    tests = [s for p, s in plan.files.items() if p.startswith("tests/") and s.suffix == ".py"]
    phases = {unit.split(".")[0] for unit in plan.mapping}
    plan.requirements = requirements_of(code, tests, own={pkg, *phases})
    for target, source in plan.files.items():
        if source.suffix == ".cpp" and "PYBIND11_MODULE(" in source.read_text(encoding="utf-8"):
            module = target.removeprefix("src/").removesuffix(".cpp").replace("/", ".")
            plan.native[module] = target
    if plan.native:
        plan.requirements.runtime.discard("pybind11")
    return plan


def copy_milestone(milestone: Milestone, dest: Path, *, package: str | None = None) -> Path:
    """Write `milestone` as a standalone project into `dest` (created; must be empty)."""
    plan = plan_starter(milestone, package)
    dest = Path(dest).expanduser().absolute()
    existed = dest.exists()
    dest = prepare_dest(dest)
    try:
        _write(plan, dest)
    except BaseException:
        if existed:
            for child in dest.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        else:
            shutil.rmtree(dest, ignore_errors=True)
        raise
    return dest


def _write(plan: StarterPlan, dest: Path) -> None:
    for target, source in plan.files.items():
        out = dest / target
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out)
    _rewrite_tree(dest, plan.mapping)
    _check_no_phase_imports(dest)
    factory = _service_factory(dest / "src" / plan.pkg, plan.pkg)
    render_tree(SKELETON / "starter", dest, _context(plan, factory))
    if factory and not (dest / "Dockerfile").exists():
        render_tree(SKELETON / "starter_docker", dest, _context(plan, factory))
    elif (dest / "Dockerfile").exists():
        docker = SKELETON / "starter_docker" / "dot-dockerignore"
        shutil.copyfile(docker, dest / ".dockerignore")
        _adapt_dockerfile(dest / "Dockerfile", plan)
    if plan.native:
        render_tree(SKELETON / "starter_native", dest, _context(plan, factory))
    shutil.copyfile(_constraints(), dest / "constraints.txt")
    shutil.copyfile(GRADER, dest / "grade.py")  # `make grade` (standard library only)
    readme = plan.milestone.folder / "README.md"
    if readme.exists():
        text = rewrite_readme(readme.read_text(encoding="utf-8"), plan.milestone.id, plan.pkg)
        with (dest / "README.md").open("a", encoding="utf-8") as handle:
            handle.write(_rewrite(text, plan.mapping))
    _tidy(dest)


def _context(plan: StarterPlan, factory: str | None) -> dict[str, str]:
    m, pkg, req = plan.milestone, plan.pkg, plan.requirements
    runtime = sorted(req.runtime - NO_DEPS)
    no_deps = sorted(req.runtime & NO_DEPS)
    constraints = _constraints()
    entries = {w: _rewrite(m.target(w), plan.mapping) for w in ("demo", "parity", "bench")}
    return {
        "name": pkg,
        "dist_name": pkg.replace("_", "-"),
        "milestone_id": m.id,
        "title_toml": json.dumps(m.title),
        # The claim may name roadmap commands; here they are prose, not commands to run.
        "claim": re.sub(r"`(roadmap [^`]*)`", r"\1", m.claim),
        "dependencies_toml": _toml_list(pinned(runtime, constraints)),
        "test_dependencies_toml": _toml_list(pinned(sorted(req.test | {"ruff"}), constraints)),
        "docker_job": DOCKER_JOB.format(dist_name=pkg.replace("_", "-")) if factory else "",
        "factory": factory or "",
        "entries_json": json.dumps(entries, indent=4),
        "torch_install": _torch_line(constraints) if plan.torch else "",
        "no_deps_install": "".join(
            f"\t$(BIN)/pip install --quiet --no-deps {r}\n" for r in pinned(no_deps, constraints)
        ),
        "torch_index_ci": " TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu"
        if plan.torch
        else "",
        "native_sources": " ".join(plan.native.values()),
        "native_modules_py": json.dumps(plan.native, indent=4),
        "build_requires": '"setuptools>=77", "wheel", "pybind11>=2.12"'
        if plan.native
        else '"setuptools>=77"',
    }


def _torch_line(constraints: Path) -> str:
    version = pinned(["torch"], constraints)[0]
    index = "$(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL))"
    return f"\t$(BIN)/pip install --quiet {version} {index}\n"


def _toml_list(items: list[str]) -> str:
    return "".join(f"\n    {json.dumps(r)}," for r in items) + ("\n" if items else "")


def _constraints() -> Path:
    folder = phase_folder("phase0_env")
    assert folder is not None
    return folder.parent / "constraints.txt"


def _files(folder: Path) -> list[Path]:
    """Files of a milestone worth copying: no caches, no build outputs, no binaries."""
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not SKIP_NAMES.intersection(path.relative_to(folder).parts)
        and not is_binary(path)
    ]


def is_binary(path: Path) -> bool:
    """A compiled artefact or build marker (by suffix, name or executable magic bytes)."""
    if path.suffix in BINARY_SUFFIXES or path.name in BUILD_MARKERS or ".so." in path.name:
        return True
    with path.open("rb") as handle:
        return handle.read(4).startswith(BINARY_MAGIC)


def _package_data(package: Path) -> list[tuple[Path, str]]:
    """Non-Python files a vendored package may read: beside its modules, and in plain
    (non-package) sub-folders other than tests and docs."""
    out = []
    for path in _files(package):
        rel = path.relative_to(package)
        if path.suffix == ".py" or rel.as_posix() == "README.md":
            continue
        if len(rel.parts) > 1:
            sub = package / rel.parts[0]
            if rel.parts[0] in ("tests", "docs") or (sub / "__init__.py").exists():
                continue
        out.append((path, rel.as_posix()))
    return out


def _locals(plan: StarterPlan) -> set[str]:
    return {target.split(".", 1)[1] for target in plan.mapping.values() if "." in target}


def _local_name(unit: str, taken: set[str]) -> str:
    """`phase0_env.common` -> `common`, `phase2_x.common` -> `phase2_x_common`,
    `phase2_x.tabular_api` -> `tabular_api` (or `phase2_x_tabular_api` on a clash)."""
    phase, sub = unit.split(".")
    if sub == "common":
        return "common" if phase == "phase0_env" else f"{phase}_common"
    return f"{phase}_{sub}" if sub in taken else sub


FROM_PHASE = re.compile(r"^(\s*)from (phase\d_\w+) import (\w+)(?: as (\w+))?[ \t]*$", re.M)


def _rewrite(text: str, mapping: dict[str, str]) -> str:
    text = FROM_PHASE.sub(lambda m: _from_phase(m, mapping), text)
    names = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, names)) + r")(?!\w)")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def _from_phase(match: re.Match[str], mapping: dict[str, str]) -> str:
    """`from phase5_x import name` -> `from <pkg> import <local>` (or `import <pkg>`), binding
    the same name; left alone when `phase5_x.name` is not vendored."""
    indent, phase, name, alias = match.groups()
    target = mapping.get(f"{phase}.{name}")
    if target is None:
        return match.group(0)
    bound = alias or name
    parent, _, leaf = target.rpartition(".")
    if parent:
        return f"{indent}from {parent} import {leaf}" + (f" as {bound}" if leaf != bound else "")
    return f"{indent}import {target}" + (f" as {bound}" if target != bound else "")


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


def _adapt_dockerfile(path: Path, plan: StarterPlan) -> None:
    """The milestone's own Dockerfile, for the starter's layout: the COPY lines of roadmap
    folders become one copy of the project, installed with the repository's pins."""
    folder = "/".join(plan.milestone.id.split("."))
    lines, replaced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^COPY\s+phase\d_\w+", line):
            if not replaced:
                lines += [
                    "COPY pyproject.toml README.md constraints.txt ./",
                    "COPY src ./src",
                    "RUN pip install -c constraints.txt .",
                ]
                replaced = True
            continue
        line = line.replace(f"-f {folder}/Dockerfile ", "").replace("the repository root", "here")
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _tidy(dest: Path) -> None:
    """Sort the rewritten imports and format, as the starter's own `make lint` expects."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        print("note: ruff not found; run `make lint` in the starter to sort its imports")
        return
    for args in (
        ["check", "--fix", "--select", "I", "--quiet", "--no-cache", "."],
        ["format", "--quiet", "--no-cache", "."],
    ):
        subprocess.run([ruff, *args], cwd=dest, capture_output=True, check=False)


def starter_listing(milestones: list[Milestone]) -> str:
    """One line per milestone: what its starter installs (direct dependencies) and how big
    that install is here, with everything those dependencies pull in."""
    lines = [f"{'milestone':<40} {'install':>9}  dependencies (+ test-only)"]
    for m in milestones:
        req = plan_starter(m).requirements
        size = install_size(req.runtime | req.test)
        deps = ", ".join(sorted(req.runtime)) or "(standard library only)"
        test_only = sorted(req.test - {"pytest", "hypothesis"})
        extra = f" (+ {', '.join(test_only)})" if test_only else ""
        lines.append(f"{m.id:<40} {size / 2**20:>6.0f} MB  {deps}{extra}")
    return "\n".join(lines)
