"""Every milestone that offers exercises: the blank copy fails its grader, the solution passes.

For each one, `roadmap exercise` writes the starter with the `exercises` functions blanked:
each of them now only raises NotImplementedError, the rest of `minimal.py` is unchanged, the
copy still lints, and `tests/test_minimal.py` fails with at least one "not implemented yet"
row. Writing the reference `minimal.py` back makes every graded check pass. The first
milestone with exercises of each phase runs in every `make test`; all of them with
`make test-starters` (ROADMAP_ALL_STARTERS=1).
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from phase0_env.common.registry import all_milestones, get_milestone
from phase0_env.template.exercise import blank_functions, write_exercise
from phase0_env.template.grade import grade
from phase0_env.template.readme import missing_commands

if Path(__file__).resolve().parents[2].name != "phase0_env":
    pytest.skip("needs the roadmap's milestones (a copied-out starter)", allow_module_level=True)

WITH_EXERCISES = [m.id for m in all_milestones() if m.exercises]
FIRST_OF_PHASE = {
    phase: next(m for m in WITH_EXERCISES if m.startswith(phase + "."))
    for phase in sorted({m.split(".")[0] for m in WITH_EXERCISES})
}
ALL = os.environ.get("ROADMAP_ALL_STARTERS", "") not in ("", "0")
LATER = [
    pytest.mark.slow,
    pytest.mark.skipif(not ALL, reason="every exercise: make test-starters"),
]
RUFF = Path(sys.executable).parent / "ruff"


def _body_is_a_raise(source: str, name: str) -> bool:
    """`name` in `source` is a docstring then `raise NotImplementedError(...)`, nothing else."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            _doc, *rest = node.body
            return (
                ast.get_docstring(node) is not None
                and len(rest) == 1
                and isinstance(rest[0], ast.Raise)
                and "NotImplementedError" in ast.unparse(rest[0])
            )
    return False


@pytest.mark.parametrize(
    "milestone_id",
    [pytest.param(m, marks=() if m in FIRST_OF_PHASE.values() else LATER) for m in WITH_EXERCISES],
)
def test_blank_exercise_fails_its_grader_and_the_reference_solution_passes(milestone_id, tmp_path):
    milestone = get_milestone(milestone_id)
    done = write_exercise(milestone, tmp_path / milestone.name)
    blank = done.minimal.read_text(encoding="utf-8")
    assert blank == blank_functions(done.solution, milestone.exercises)
    for name in milestone.exercises:
        assert _body_is_a_raise(blank, name), f"{name} still has a body"
    assert "## Exercise" in (done.root / "README.md").read_text(encoding="utf-8")
    assert missing_commands(done.root, milestone.name) == []
    for lint in (["check"], ["format", "--check"]):  # what the starter's `make lint` runs
        out = subprocess.run(
            [RUFF, *lint, "--no-cache", "."], cwd=done.root, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stdout[-2000:]

    failing = grade(done.root, sys.executable)
    assert not failing.passed
    assert any(not r.passed for r in failing.rows), failing.output[-3000:]
    assert any(r.note.startswith("not implemented yet: ") for r in failing.rows)

    done.minimal.write_text(done.solution, encoding="utf-8")
    passing = grade(done.root, sys.executable)
    assert passing.passed, passing.output[-4000:]
    assert passing.rows and all(r.worst is not None for r in passing.rows)
