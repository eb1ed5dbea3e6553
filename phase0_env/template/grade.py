"""Grade a minimal version: run `tests/test_minimal.py`, print one row per parity check.

Every `assert_parity` in those tests appends its result to $ROADMAP_GRADE_LOG (one JSON line:
name, reference, worst error, tolerance, passed); a test that fails before any check (an
exercise still raising NotImplementedError, say) gets a row of its own. Standard library
only, so a copied-out starter runs it with `make grade` (`python grade.py`) and the roadmap
with `roadmap check DEST`. Exit status 0 only when every check passes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

GRADER = "tests/test_minimal.py"
GRADE_LOG_ENV = "ROADMAP_GRADE_LOG"  # read by the parity helper's `log_result`
NOT_IMPLEMENTED = re.compile(r"NotImplementedError: (\w+)")
PARITY_MISS = re.compile(r"ours disagrees with")  # already a row, from the log


@dataclass(frozen=True)
class Row:
    """One graded check (a parity comparison, or a test that failed before comparing)."""

    name: str
    passed: bool
    worst: float | None = None
    tolerance: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Grade:
    """Every row of one grading run, and whether pytest itself succeeded."""

    rows: list[Row]
    pytest_status: int
    output: str

    @property
    def passed(self) -> bool:
        return self.pytest_status == 0 and bool(self.rows) and all(r.passed for r in self.rows)


def grade(root: Path, python: str | None = None, timeout: float = 600) -> Grade:
    """Run the grader of the project at `root` with `python` (its `.venv` if it has one)."""
    root = Path(root).resolve()
    if not (root / GRADER).is_file():
        raise ValueError(f"{root} has no {GRADER}: nothing to grade there")
    python = python or default_python(root)
    with tempfile.TemporaryDirectory() as tmp:
        log, junit = Path(tmp) / "grade.jsonl", Path(tmp) / "junit.xml"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        # The project's own package (src/) first, so an uninstalled copy grades too.
        env.update({GRADE_LOG_ENV: str(log), "PYTHONPATH": str(root / "src")})
        cmd = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"]
        proc = subprocess.run(
            [*cmd, GRADER], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
        )
        rows = _parity_rows(log) + _failed_test_rows(junit)
    return Grade(rows, proc.returncode, proc.stdout + proc.stderr)


def default_python(root: Path) -> str:
    """The project's own `.venv` interpreter when it has one, else this one."""
    venv = Path(root) / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _parity_rows(log: Path) -> list[Row]:
    if not log.exists():
        return []
    rows = []
    for line in log.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        note = r["reference"] if r["passed"] else f"{r['reference']}: {r.get('detail', '')}"
        rows.append(Row(r["name"], r["passed"], r["max_error"], r["tolerance"], note[:160]))
    return rows


def _failed_test_rows(junit: Path) -> list[Row]:
    """A row for each test that failed other than by a parity miss (already logged)."""
    if not junit.exists():
        return []
    rows = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        for problem in [*case.findall("failure"), *case.findall("error")]:
            message = problem.get("message") or (problem.text or "").strip()
            if PARITY_MISS.search(message):
                continue
            missing = NOT_IMPLEMENTED.search(message) or NOT_IMPLEMENTED.search(problem.text or "")
            note = f"not implemented yet: {missing.group(1)}" if missing else message
            rows.append(Row(case.get("name", "?"), False, note=note.splitlines()[0][:120]))
    return rows


def format_table(result: Grade) -> str:
    """The rows as a table, then one summary line."""
    width = max([len("check"), *(len(r.name) for r in result.rows)])
    lines = [f"{'check':<{width}} {'result':<6} {'worst error':>11} {'tolerance':>10}  note"]
    for r in result.rows:
        worst = "-" if r.worst is None else f"{r.worst:.3g}"
        tol = "-" if r.tolerance is None else f"{r.tolerance:.3g}"
        verdict = "pass" if r.passed else "FAIL"
        lines.append(f"{r.name:<{width}} {verdict:<6} {worst:>11} {tol:>10}  {r.note}")
    passed = sum(r.passed for r in result.rows)
    lines.append(f"{passed} of {len(result.rows)} checks pass")
    if not result.rows:
        lines.append("no check ran; pytest said:\n" + result.output[-3000:])
    elif result.pytest_status not in (0, 1) or (
        result.pytest_status == 1 and all(r.passed for r in result.rows)
    ):  # not only failed tests (a collection error, say): show what pytest said
        lines.append(f"pytest exited {result.pytest_status}:\n" + result.output[-3000:])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python grade.py [DIR]`: grade the project in DIR (default: here)."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else ".")
    try:
        result = grade(root, sys.executable)
    except ValueError as exc:
        print(f"grade: {exc}", file=sys.stderr)
        return 2
    print(format_table(result))
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
