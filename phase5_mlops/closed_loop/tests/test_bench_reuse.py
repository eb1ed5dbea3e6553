"""The quick bench reads the demo's last loop run with the same settings instead of a new run."""

import json
import os
from dataclasses import asdict

from phase5_mlops.closed_loop import bench, loop
from phase5_mlops.closed_loop.live_stages import LoopConfig


def _write(folder, name, config, outcome, mtime):
    path = folder / name / "report.json"
    path.parent.mkdir(parents=True)
    settings = asdict(config) | {"workdir": str(path.parent), "tracking_uri": "sqlite:///x.db"}
    stage = {"name": "retrain", "at": "2026-01-01T00:00:05+00:00", "passed": True}
    path.write_text(
        json.dumps(
            {
                "run_id": name,
                "config": settings,
                "started": "2026-01-01T00:00:00+00:00",
                "outcome": outcome,
                "stages": [stage],
            }
        )
    )
    os.utime(path, (mtime, mtime))


def test_the_newest_finished_run_with_the_same_settings_is_reused(tmp_path, monkeypatch):
    monkeypatch.setattr(loop, "RUNS_DIR", tmp_path)
    quick = LoopConfig(window=200, n_splits=2)
    _write(tmp_path, "old", quick, "promoted", 1_000)
    _write(tmp_path, "full-size", LoopConfig(), "promoted", 2_000)
    _write(tmp_path, "unfinished", quick, "running", 3_000)
    assert bench.last_demo_run(quick)["run_id"] == "old"
    _write(tmp_path, "new", quick, "rolled_back", 4_000)
    assert bench.last_demo_run(quick)["run_id"] == "new"
    assert bench.last_demo_run(LoopConfig(window=200, n_splits=2, drift=2.0)) is None
    monkeypatch.setattr(bench, "monitor_rows", lambda quick: [])
    rows = bench.run(quick=True)
    assert [r.case for r in rows] == ["loop stage: retrain", "loop: end to end"]
    assert rows[0].ours_s == 5.0 and rows[0].quality["run"] == "new"
