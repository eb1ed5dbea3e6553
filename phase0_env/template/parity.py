"""Behaviour checks (no reference library): what `new_project` and `copy_milestone` write."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from phase0_env.common.parity import ParityResult, behaviour
from phase0_env.template import inspect_tree as inspect
from phase0_env.template.generate import new_project
from phase0_env.template.starter import copy_milestone

NAME = "parity_demo"


def checks() -> list[ParityResult]:
    """Generate a project and a starter in a temp folder and check each promise."""
    with tempfile.TemporaryDirectory(prefix="template-parity-") as tmp:
        root = new_project(NAME, Path(tmp) / "project")
        return [*_project_checks(root), *_refusal_checks(Path(tmp)), *_starter_checks(Path(tmp))]


def _project_checks(root: Path) -> list[ParityResult]:
    import yaml

    files = inspect.tree_files(root)
    missing = sorted(set(inspect.expected_files(NAME)) - set(files))
    left = inspect.leftover_placeholders(root)
    errors = inspect.compile_errors(root)
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    tools = sorted(pyproject.get("tool", {}))
    workflow = yaml.safe_load((root / ".github/workflows/ci.yml").read_text())
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    docker = inspect.dockerfile_basics((root / "Dockerfile").read_text())
    ruff = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], root)
    fmt = _run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], root)
    tests = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], root, src=True)
    return [
        behaviour("generated tree has every file", not missing, f"missing: {missing}"),
        behaviour("no placeholder left in files or paths", not left, "; ".join(left[:3])),
        behaviour(
            "package name substituted",
            pyproject["project"]["name"] == NAME.replace("_", "-")
            and (root / "src" / NAME).is_dir(),
        ),
        behaviour("generated Python compiles", not errors, "; ".join(errors[:3])),
        behaviour(
            "pyproject configures setuptools, ruff, mypy, pytest",
            pyproject["build-system"]["build-backend"] == "setuptools.build_meta"
            and {"ruff", "mypy", "pytest", "setuptools"} <= set(tools),
            f"tools: {tools}",
        ),
        behaviour(
            "CI workflow and pre-commit config are valid YAML with jobs and hooks",
            bool(workflow.get("jobs")) and len(hooks.get("repos", [])) >= 2,
        ),
        behaviour("Dockerfile: slim, non-root, HEALTHCHECK", not docker, "; ".join(docker)),
        behaviour(
            "generated project is ruff-clean",
            ruff.returncode == fmt.returncode == 0,
            (ruff.stdout + fmt.stdout)[-300:],
        ),
        behaviour("generated tests pass", tests.returncode == 0, tests.stdout[-300:]),
    ]


def _refusal_checks(tmp: Path) -> list[ParityResult]:
    refused: list[str] = []
    for bad in ("1abc", "my-pkg", "class", "json", "Caps", ""):
        try:
            new_project(bad, tmp / f"bad-{len(refused)}")
        except ValueError:
            refused.append(bad)
    busy = tmp / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    try:
        new_project("fine_name", busy)
        busy_refused = False
    except FileExistsError:
        busy_refused = True
    return [
        behaviour("invalid names are refused", len(refused) == 6, f"refused {refused}"),
        behaviour(
            "a non-empty destination is refused, untouched",
            busy_refused and inspect.tree_files(busy) == ["keep.txt"],
        ),
    ]


def _starter_checks(tmp: Path) -> list[ParityResult]:
    from phase0_env.common.registry import get_milestone

    milestone = get_milestone("phase0_env.hello_service")
    root = copy_milestone(milestone, tmp / "starter")
    from phase0_env.template.readme import missing_commands
    from phase0_env.template.requirements import canonical, requirements_of
    from phase0_env.template.starter import is_binary

    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    deps = {canonical(d.split("==")[0]) for d in pyproject["project"]["dependencies"]}
    code = list((root / "src").rglob("*.py"))
    imported = requirements_of(code, [], own={"hello_service"}).runtime
    left = inspect.phase_imports(root)
    missing = missing_commands(root, "hello_service")
    return [
        behaviour("starter imports no roadmap package", not left, "; ".join(left[:3])),
        behaviour("starter Python compiles", not inspect.compile_errors(root)),
        behaviour(
            "starter depends on exactly what its code imports",
            deps == imported,
            f"declared {sorted(deps)}, imported {sorted(imported)}",
        ),
        behaviour(
            "starter copies no compiled file",
            not any(is_binary(p) for p in root.rglob("*") if p.is_file()),
        ),
        behaviour("every command its README shows exists", not missing, "; ".join(missing)),
        behaviour(
            "starter vendors the kit and copies the tests",
            (root / "src/hello_service/common/service.py").exists()
            and bool(list((root / "tests").glob("test_*.py"))),
        ),
        behaviour(
            "service starter ships a Dockerfile running its factory",
            "hello_service.app:create_app" in (root / "Dockerfile").read_text()
            and not inspect.dockerfile_basics((root / "Dockerfile").read_text()),
        ),
    ]


def _run(cmd: list[str], cwd: Path, src: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd / "src")} if src else None
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
