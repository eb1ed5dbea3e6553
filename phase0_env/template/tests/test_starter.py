"""`copy_milestone`: a milestone copied out as a standalone project, imports rewritten."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from phase0_env.common.registry import Milestone, get_milestone
from phase0_env.template import inspect_tree as inspect
from phase0_env.template import requirements
from phase0_env.template.starter import copy_milestone

# In a `roadmap new` copy of this milestone there are no roadmap milestones to copy from, so
# these tests skip there instead of failing (a path test: the import rewrite leaves it alone).
if Path(__file__).resolve().parents[2].name != "phase0_env":
    pytest.skip("needs the roadmap's milestones (a copied-out starter)", allow_module_level=True)


REPO = Path(__file__).resolve().parents[3]


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The starter's tests under this interpreter, with its src/ on the path (no install)."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture(scope="module")
def hello(tmp_path_factory) -> Path:
    return copy_milestone(
        get_milestone("phase0_env.hello_service"), tmp_path_factory.mktemp("s") / "hello"
    )


def test_hello_starter_layout(hello):
    files = inspect.tree_files(hello)
    for expected in (
        "pyproject.toml",
        "README.md",
        "Dockerfile",
        ".dockerignore",
        ".gitignore",
        "conftest.py",
        ".github/workflows/ci.yml",
        "src/hello_service/app.py",
        "src/hello_service/common/service.py",
        "src/hello_service/deploy/hello.service",
        "tests/test_api.py",
        "tests/test_server_process.py",
    ):
        assert expected in files
    assert not any("__pycache__" in f or f.startswith("src/hello_service/tests") for f in files)


def test_hello_starter_imports_are_rewritten(hello):
    assert inspect.phase_imports(hello) == []
    assert inspect.compile_errors(hello) == []
    app = (hello / "src/hello_service/app.py").read_text()
    assert "from hello_service.common.service import" in app
    server_test = (hello / "tests/test_server_process.py").read_text()
    assert '"hello_service.app:create_app"' in server_test  # strings naming modules too


def test_hello_starter_pyproject_pins_what_its_code_imports(hello):
    pyproject = tomllib.loads((hello / "pyproject.toml").read_text())
    deps = dict(d.split("==") for d in pyproject["project"]["dependencies"])
    assert {"fastapi", "numpy", "prometheus-client", "pydantic-settings"} <= set(deps)
    assert "torch" not in deps and "scikit-learn" not in deps  # nothing it does not import
    pins = requirements.constraint_pins(REPO / "constraints.txt")
    assert all(pins[name] == version for name, version in deps.items())
    dev = [d.split("==")[0] for d in pyproject["project"]["optional-dependencies"]["dev"]]
    assert {"pytest", "hypothesis", "ruff"} <= set(dev)
    assert (
        "service: starts a real server process on 127.0.0.1"
        in pyproject["tool"]["pytest"]["ini_options"]["markers"]
    )
    assert pyproject["tool"]["ruff"]["line-length"] == 100
    assert (hello / "constraints.txt").read_text() == (REPO / "constraints.txt").read_text()


def test_hello_starter_vendors_only_the_kit_modules_it_uses(hello):
    vendored = {p.name for p in (hello / "src/hello_service/common").glob("*.py")}
    assert {"service.py", "parity.py", "__init__.py"} <= vendored
    assert not {"registry.py", "rules.py"} & vendored  # the roadmap's own machinery stays home
    assert not (hello / "src/hello_service/milestone.py").exists()


def test_hello_starter_ships_a_dockerfile_and_ci_with_a_docker_job(hello):
    dockerfile = (hello / "Dockerfile").read_text()
    assert inspect.dockerfile_basics(dockerfile) == []
    assert '"--factory", "hello_service.app:create_app"' in dockerfile
    workflow = yaml.safe_load((hello / ".github/workflows/ci.yml").read_text())
    assert set(workflow["jobs"]) == {"test", "docker"}
    readme = (hello / "README.md").read_text()
    assert readme.startswith("# hello_service") and "phase0_env.hello_service" in readme


def test_hello_starter_tests_pass_in_place_without_servers(hello):
    out = _pytest(hello, "-m", "not service")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]


def test_a_starter_without_a_service_has_no_dockerfile_and_its_tests_pass(tmp_path):
    root = copy_milestone(get_milestone("phase0_env.dotfiles"), tmp_path / "dots")
    assert not (root / "Dockerfile").exists()
    assert set(yaml.safe_load((root / ".github/workflows/ci.yml").read_text())["jobs"]) == {"test"}
    assert (root / "src/dotfiles/files/bashrc").exists()
    out = _pytest(root)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]


def _write(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def fake_phase(tmp_path, monkeypatch) -> Milestone:
    """phase7_fakestarter: milestone `alpha` uses `beta` (declared), which uses the phase common."""
    root = tmp_path / "repo"
    phase = root / "phase7_fakestarter"
    _write(phase / "__init__.py")
    _write(phase / "common" / "__init__.py")
    _write(phase / "common" / "helpers.py", "def double(x: int) -> int:\n    return 2 * x\n")
    _write(phase / "beta" / "__init__.py")
    _write(
        phase / "beta" / "core.py",
        "from phase7_fakestarter.common.helpers import double\n\n\n"
        "def beta(x: int) -> int:\n    return double(x) + 1\n",
    )
    _write(phase / "beta" / "tests" / "test_beta.py", "def test_x():\n    pass\n")
    _write(phase / "alpha" / "__init__.py")
    _write(phase / "alpha" / "beta.py", "NAME = 'a module of alpha named like the dependency'\n")
    _write(
        phase / "alpha" / "model.py",
        "from phase0_env.common.parity import behaviour\n"
        "from phase7_fakestarter.beta.core import beta\n\n\n"
        "def run(x: int) -> int:\n    return beta(x)\n\n\n"
        "def check():\n    return behaviour('run', run(2) == 5)\n",
    )
    _write(
        phase / "alpha" / "tests" / "test_model.py",
        "from phase7_fakestarter.alpha.model import check, run\n\n\n"
        "def test_run_uses_the_dependency():\n    assert run(2) == 5 and check().passed\n",
    )
    _write(phase / "alpha" / "README.md", "# alpha\n\nUses `phase7_fakestarter.beta.core`.\n")
    monkeypatch.syspath_prepend(str(root))
    for name in [m for m in sys.modules if m.startswith("phase7_fakestarter")]:
        monkeypatch.delitem(sys.modules, name)
    return Milestone(
        "phase7_fakestarter.alpha",
        "Alpha",
        "alpha claims",
        "none",
        "m:f",
        "m:f",
        "m:f",
        requirements=("numpy",),
        local_deps=("phase7_fakestarter.beta",),
    )


def test_local_deps_and_their_imports_are_vendored_and_rewritten(fake_phase, tmp_path):
    root = copy_milestone(fake_phase, tmp_path / "out")
    src = root / "src" / "alpha"
    # `beta` clashes with alpha's own beta.py, so the dependency is vendored under a longer name.
    assert (src / "beta.py").read_text().startswith('NAME = "a module of alpha')  # ruff-formatted
    assert (src / "phase7_fakestarter_beta" / "core.py").exists()
    assert not (src / "phase7_fakestarter_beta" / "tests").exists()
    # The phase's common was not declared: it is found by following beta's import.
    helpers_import = (src / "phase7_fakestarter_beta" / "core.py").read_text().splitlines()[0]
    assert helpers_import == "from alpha.phase7_fakestarter_common.helpers import double"
    assert "from alpha.common.parity import behaviour" in (src / "model.py").read_text()
    assert "Uses `alpha.phase7_fakestarter_beta.core`" in (root / "README.md").read_text()
    assert inspect.phase_imports(root) == []
    out = _pytest(root)
    assert out.returncode == 0 and "1 passed" in out.stdout, out.stdout + out.stderr


def test_an_import_of_a_whole_phase_is_a_clear_error_and_writes_nothing(fake_phase, tmp_path):
    model = fake_phase.folder / "model.py"
    model.write_text("import phase0_env\n" + model.read_text())
    with pytest.raises(ValueError, match=r"still imports roadmap packages:\n.*phase0_env"):
        copy_milestone(fake_phase, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bad_input_is_refused_before_anything_is_written(tmp_path, capsys):
    from phase0_env.cli import main

    assert main(["new", "phase9_none.nothing", str(tmp_path / "a")]) == 2
    assert "unknown milestone" in capsys.readouterr().err
    assert main(["new", "phase0_env.dotfiles", str(tmp_path / "b"), "--name", "My-Pkg"]) == 2
    assert "invalid project name" in capsys.readouterr().err
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "keep.txt").write_text("mine")
    assert main(["new", "phase0_env.dotfiles", str(tmp_path / "c")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["keep.txt"]


def test_new_list_shows_each_starters_dependencies_and_size(capsys):
    from phase0_env.cli import main

    assert main(["new", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    stats = next(line for line in lines if line.startswith("phase1_foundations.stats "))
    assert "numpy" in stats and "scipy" in stats and "torch" not in stats
    assert re.search(r"\d+ MB", stats)


def test_copy_refuses_a_non_empty_destination(tmp_path):
    (tmp_path / "x").write_text("x")
    with pytest.raises(FileExistsError):
        copy_milestone(get_milestone("phase0_env.dotfiles"), tmp_path)


def test_nested_files_named_like_the_moved_ones_are_kept(tmp_path):
    # tests/, Dockerfile and README.md move to the root only at the milestone's top level;
    # the template's own skeleton has all three one level down and must keep them.
    root = copy_milestone(get_milestone("phase0_env.template"), tmp_path / "tpl")
    skeleton = root / "src" / "template" / "skeleton" / "project"
    for rel in ("Dockerfile", "README.md", "tests/test_core.py.tmpl"):
        assert (skeleton / rel).is_file(), rel
    assert not (root / "src" / "template" / "tests").exists()
    assert (root / "tests" / "test_generate.py").is_file()


def test_a_readme_item_that_names_the_exercise_command_keeps_its_sentence():
    from phase0_env.template.readme import rewrite_readme

    text = (
        "Read in this order:\n"
        "- `minimal.py`: the idea (`roadmap exercise phase9_x.demo DEST` blanks `f`).\n"
        "- `full.py`: the fast path.\n"
    )
    out = rewrite_readme(text, "phase9_x.demo", "demo")
    assert "- `minimal.py`: the idea (the roadmap's `exercise` command blanks `f`)." in out
    assert "roadmap exercise" not in out and "- `full.py`" in out
