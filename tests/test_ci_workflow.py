"""The GitHub workflow: valid against GitHub's schema, a test job for every phase, torch's CPU
build chosen through the Makefile's TORCH_INDEX_URL."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from phase0_env.common.registry import PHASES

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _check_jsonschema() -> str:
    found = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    assert os.access(found, os.X_OK), "check-jsonschema (dev extra) is not installed"
    return found


def test_workflow_validates_against_the_bundled_github_schema():
    done = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path):
    broken = _workflow()
    broken["jobs"]["test"]["step"] = broken["jobs"]["test"].pop("steps")
    path = tmp_path / "ci.yml"
    path.write_text(yaml.safe_dump(broken))
    done = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "'step' was unexpected" in done.stdout


def test_matrix_tests_every_phase_and_the_repository_tests():
    matrix = _workflow()["jobs"]["test"]["strategy"]["matrix"]["phase"]
    assert sorted(matrix) == sorted(["tests", *PHASES]), "ci.yml matrix != registry PHASES"
    assert len(matrix) == len(set(matrix))


def test_every_phase_folder_is_a_registered_phase():
    folders = {p.parent.name for p in ROOT.glob("phase*_*/__init__.py")}
    assert folders == set(PHASES)


def test_workflow_selects_the_cpu_torch_index_and_the_makefile_uses_it():
    assert _workflow()["env"]["TORCH_INDEX_URL"] == CPU_INDEX
    if shutil.which("make") is None:
        pytest.skip("make is not installed")

    def torch_line(*args: str) -> str:
        out = subprocess.run(
            ["make", "-n", "-B", "-C", str(ROOT), ".venv/.installed", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={k: v for k, v in os.environ.items() if k != "TORCH_INDEX_URL"},
        ).stdout
        return next(line for line in out.splitlines() if "torch==" in line)

    assert "--index-url" not in torch_line()  # default: pip's own index, as on this machine
    assert f"--index-url {CPU_INDEX} torch==" in torch_line(f"TORCH_INDEX_URL={CPU_INDEX}")


def test_test_jobs_set_up_system_programs_before_testing():
    steps = [s.get("run", "") for s in _workflow()["jobs"]["test"]["steps"]]
    assert steps.index("make setup") < steps.index("make test-phase PHASE=${{ matrix.phase }}")
