"""Every registered milestone copies out as a project that stands alone (`roadmap new`).

For each one: no roadmap import is left, the declared dependencies are exactly what the
generated code and tests import, no compiled file was copied, every command its README shows
exists, ruff passes with the starter's own config, paths resolve inside it, and its tests
import (collect) with only the starter on the path. `test_starter_tests_pass` runs three
starters' own fast tests the same way in every run, and every starter's with
`make test-starters`.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from phase0_env.common.registry import all_milestones, get_milestone
from phase0_env.template import inspect_tree as inspect
from phase0_env.template.readme import missing_commands
from phase0_env.template.requirements import canonical, requirements_of
from phase0_env.template.starter import copy_milestone, is_binary

if Path(__file__).resolve().parents[2].name != "phase0_env":
    pytest.skip("needs the roadmap's milestones (a copied-out starter)", allow_module_level=True)

IDS = [m.id for m in all_milestones()]
RUFF = Path(sys.executable).parent / "ruff"


def _env(root: Path) -> dict[str, str]:
    """The starter alone on the path: the roadmap's own folder is not importable from it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(root / "src")
    return env


def _run(cmd: list, root: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in cmd],
        cwd=root,
        capture_output=True,
        text=True,
        env=_env(root),
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def starters() -> dict[str, Path]:
    """Starters generated once per module run, on first use."""
    return {}


def _starter(starters: dict[str, Path], milestone_id: str, tmp_path_factory) -> Path:
    if milestone_id not in starters:
        milestone = get_milestone(milestone_id)
        dest = tmp_path_factory.mktemp("starter") / milestone.name
        starters[milestone_id] = copy_milestone(milestone, dest)
    return starters[milestone_id]


def _declared(root: Path) -> tuple[set[str], set[str]]:
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    names = [canonical(d.split("==")[0]) for d in project["dependencies"]]
    dev = [canonical(d.split("==")[0]) for d in project["optional-dependencies"]["dev"]]
    return set(names), set(dev)


@pytest.mark.parametrize("milestone_id", IDS)
def test_starter_stands_alone(milestone_id, starters, tmp_path_factory):
    root = _starter(starters, milestone_id, tmp_path_factory)
    pkg = get_milestone(milestone_id).name
    files = [p for p in root.rglob("*") if p.is_file()]

    assert inspect.phase_imports(root) == []
    assert inspect.compile_errors(root) == []
    assert [p for p in files if is_binary(p)] == []
    assert missing_commands(root, pkg) == []

    # Declared dependencies are exactly what the generated tree imports (the Makefile adds
    # the no-deps packages, which the pyproject cannot express).
    code = [p for p in (root / "src").rglob("*.py") if "skeleton" not in p.parts]
    tests = list((root / "tests").rglob("*.py")) if (root / "tests").exists() else []
    imported = requirements_of(code, [*tests, root / "conftest.py"], own={pkg})
    runtime, dev = _declared(root)
    makefile = (root / "Makefile").read_text()
    no_deps = {d for d in imported.runtime if f"--no-deps {d}==" in makefile}
    assert runtime | no_deps == imported.runtime
    assert dev == imported.test | {"ruff"}

    lint = _run([RUFF, "check", "--no-cache", "."], root)
    assert lint.returncode == 0, lint.stdout[-3000:]
    fmt = _run([RUFF, "format", "--check", "--no-cache", "."], root)
    assert fmt.returncode == 0, fmt.stdout[-3000:]


@pytest.mark.parametrize("milestone_id", IDS)
def test_starter_tests_collect_and_paths_resolve_inside_it(
    milestone_id, starters, tmp_path_factory
):
    root = _starter(starters, milestone_id, tmp_path_factory)
    pkg = get_milestone(milestone_id).name
    collect = _run([sys.executable, "-m", "pytest", "--collect-only", "-q"], root)
    assert collect.returncode == 0, collect.stdout[-3000:] + collect.stderr[-2000:]
    if (root / "src" / pkg / "common" / "paths.py").exists():
        probe = _run(
            [sys.executable, "-c", f"from {pkg}.common.paths import cache_dir; print(cache_dir())"],
            root,
        )
        assert probe.stdout.strip() == str(root / ".cache"), probe.stderr


# Starters whose own tests run in every `make test`: quick ones of different kinds. The rest
# repeat the whole repository's suite from the copies (about as long again), so they run with
# `make test-starters` (ROADMAP_ALL_STARTERS=1), before a release or after changing the copier.
FAST_RUNS = ["phase1_foundations.stats", "phase1_foundations.native_ops", "phase0_env.dotfiles"]
ALL = os.environ.get("ROADMAP_ALL_STARTERS", "") not in ("", "0")
LATER = [
    pytest.mark.slow,
    pytest.mark.skipif(not ALL, reason="every starter's tests: make test-starters"),
]


@pytest.mark.parametrize(
    "milestone_id", [pytest.param(m, marks=() if m in FAST_RUNS else LATER) for m in IDS]
)
def test_starter_tests_pass(milestone_id, starters, tmp_path_factory):
    """The starter's own tests (those not marked slow) pass with only it on the path."""
    root = _starter(starters, milestone_id, tmp_path_factory)
    if (root / "setup.py").exists():  # what `make setup` does: compile the C++ part here
        built = _run([sys.executable, "setup.py", "--quiet", "build_ext", "--inplace"], root)
        assert built.returncode == 0, built.stderr[-3000:]
    out = _run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", "not slow"],
        root,
    )
    # 5: every test of this starter is marked slow (nothing left to run here).
    assert out.returncode in (0, 5), out.stdout[-4000:] + out.stderr[-2000:]
