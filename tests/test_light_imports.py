"""Importing a phase package, or listing milestones, must not import a heavy library."""

import json
import subprocess
import sys

import pytest

from phase0_env.common.registry import PHASES

HEAVY = ("torch", "transformers", "faiss", "mlflow", "sklearn", "tensorflow", "ray")


def _imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("phase", PHASES)
def test_importing_a_phase_imports_nothing_heavy(phase):
    loaded = _imported_after(f"import {phase}")
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert not heavy, f"`import {phase}` imported {heavy}"


def test_listing_every_milestone_imports_nothing_heavy():
    loaded = _imported_after(
        "from phase0_env.cli import main\nimport io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['list', '--json'])"
    )
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert not heavy, f"`roadmap list` imported {heavy}"
