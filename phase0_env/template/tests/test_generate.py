"""`new_project`: the generated tree, its substitutions, and the names and folders it refuses."""

import subprocess
import sys
import tomllib

import pytest
import yaml

from phase0_env.template import inspect_tree as inspect
from phase0_env.template.generate import new_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return new_project("acme_tools", tmp_path_factory.mktemp("gen") / "acme")


def test_generated_tree_has_exactly_the_expected_files(project):
    assert inspect.tree_files(project) == inspect.expected_files("acme_tools")


def test_no_placeholder_is_left_and_the_names_are_substituted(project):
    assert inspect.leftover_placeholders(project) == []
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "acme-tools"
    assert pyproject["project"]["scripts"] == {"acme-tools": "acme_tools.cli:main"}
    assert (
        "from acme_tools.core import greet" in (project / "src/acme_tools/__init__.py").read_text()
    )


def test_generated_python_compiles(project):
    assert inspect.compile_errors(project) == []


def test_pyproject_configures_the_tools(project):
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["build-system"]["build-backend"] == "setuptools.build_meta"
    assert pyproject["tool"]["setuptools"]["packages"]["find"]["where"] == ["src"]
    assert pyproject["tool"]["mypy"]["strict"] is True
    assert pyproject["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    assert pyproject["tool"]["ruff"]["line-length"] == 100
    dev = " ".join(pyproject["project"]["optional-dependencies"]["dev"])
    assert all(tool in dev for tool in ("pytest", "ruff", "mypy", "pre-commit"))


def test_ci_and_pre_commit_are_valid_yaml_running_the_checks(project):
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    steps = " ".join(str(s.get("run", "")) for s in workflow["jobs"]["check"]["steps"])
    for command in ("ruff check", "ruff format --check", "mypy", "pytest"):
        assert command in steps
    matrix = workflow["jobs"]["check"]["strategy"]["matrix"]["python-version"]
    assert "3.11" in matrix
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    ids = {h["id"] for repo in hooks["repos"] for h in repo["hooks"]}
    assert {"ruff", "ruff-format", "mypy"} <= ids


def test_dockerfile_is_slim_non_root_with_a_healthcheck(project):
    text = (project / "Dockerfile").read_text()
    assert inspect.dockerfile_basics(text) == []
    assert 'ENTRYPOINT ["acme-tools"]' in text


def test_makefile_recipes_use_tabs_and_cover_the_workflow(project):
    text = (project / "Makefile").read_text()
    for target in ("dev:", "check:", "lint:", "test:", "docker:"):
        assert f"\n{target}" in text
    recipe_lines = [line for line in text.splitlines() if line.startswith(("\t", "    "))]
    assert recipe_lines and all(line.startswith("\t") for line in recipe_lines)


def test_generated_project_is_ruff_clean_and_its_tests_pass_here(project):
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(project / "src")},
    )
    assert tests.returncode == 0 and "5 passed" in tests.stdout, tests.stdout + tests.stderr


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("1abc", "lowercase Python identifier"),
        ("my-pkg", "lowercase Python identifier"),
        ("MyPkg", "lowercase Python identifier"),
        ("", "lowercase Python identifier"),
        ("_private", "lowercase Python identifier"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("json", "standard library"),
    ],
)
def test_invalid_names_are_refused_with_a_clear_reason(tmp_path, name, why):
    with pytest.raises(ValueError, match=why):
        new_project(name, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_a_non_empty_destination_is_refused_and_left_untouched(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not empty"):
        new_project("fine_name", tmp_path)
    assert inspect.tree_files(tmp_path) == ["notes.txt"]


def test_a_file_as_destination_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError, match="not a folder"):
        new_project("fine_name", tmp_path / "file")


def test_an_existing_empty_folder_is_accepted(tmp_path):
    assert new_project("fine_name", tmp_path) == tmp_path
    assert (tmp_path / "src" / "fine_name" / "core.py").exists()


def test_a_description_that_would_break_toml_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no quotes"):
        new_project("fine_name", tmp_path / "d", description='say "hi"')
