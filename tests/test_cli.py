"""The `roadmap` CLI: list, parity, bench and report on the phase 0 milestones."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from phase0_env import report
from phase0_env.cli import main
from phase0_env.common.registry import all_milestones

PHASE0 = [m for m in all_milestones() if m.phase == "phase0_env"]


def _roadmap(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "phase0_env.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def test_list_json_has_every_field():
    out = _roadmap("list", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {r["id"] for r in rows} == {m.id for m in all_milestones()}
    for row in rows:
        assert {"id", "phase", "title", "claim", "reference", "demo", "parity", "bench"} <= set(row)


def test_unknown_milestone_exits_2_with_the_known_ids(capsys):
    assert main(["parity", "phase9_nope.x"]) == 2
    assert "unknown milestone" in capsys.readouterr().err


@pytest.mark.parametrize("milestone", PHASE0, ids=lambda m: m.id)
def test_parity_json_reports_every_check(milestone):
    out = _roadmap("parity", milestone.id, "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr
    assert data[0]["passed"] and data[0]["checks"]
    assert {"name", "reference", "max_error", "tolerance", "passed"} <= set(data[0]["checks"][0])


def test_failing_parity_exits_1(monkeypatch, capsys):
    from phase0_env.common.parity import behaviour
    from phase0_env.common.registry import Milestone

    fake = Milestone("phase9_x.y", "t", "c", "r", "m:f", "m:f", "m:f")
    monkeypatch.setattr("phase0_env.cli.get_milestone", lambda _id: fake)
    monkeypatch.setattr(Milestone, "load", lambda self, which: lambda: [behaviour("x", False)])
    assert main(["parity", "phase9_x.y"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_bench_quick_writes_the_documented_json(tmp_path):
    milestone = PHASE0[0]
    out = _roadmap("bench", milestone.id, "--quick", "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)
    written = json.loads((tmp_path / "reports" / "bench" / f"{milestone.id}.json").read_text())
    assert printed["milestone"] == written["milestone"] == milestone.id
    assert len({row["size"] for row in written["rows"]}) >= 3
    for row in written["rows"]:
        assert {"case", "size", "ours_s", "reference", "ref_s", "ratio", "quality"} <= set(row)


def test_report_writes_markdown_and_html_scoreboards(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(report, "all_milestones", lambda: PHASE0)
    assert report.write_scoreboard(tmp_path / "reports")
    md = (tmp_path / "reports" / "scoreboard.md").read_text()
    html = (tmp_path / "reports" / "scoreboard.html").read_text()
    for m in PHASE0:
        assert m.id in md and m.id in html
    assert "| pass |" in md
