"""Bench: how long each stage of one loop run takes, and what the monitor's log reading costs.

The loop has no library counterpart, so its stages are reported as timings with their
outcome (reference "-"), measured once from a real run's report (a run is ~a minute; its
stages are not repeatable in isolation without re-running the ones before). "monitor"
includes starting the champion's process and "canary" starting green and the router. The monitor
stage is also timed at three window sizes against the monitoring milestone's
`compare_window` on the same rows in memory: the difference is the price of reading the
champion's prediction log.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from phase0_env.common.bench import BenchRow, compare, sizes
from phase5_mlops.closed_loop.live_stages import LoopConfig
from phase5_mlops.closed_loop.loop import run_closed_loop


def monitor_rows(quick: bool) -> list[BenchRow]:
    """LogMonitor on a log of n requests vs compare_window on the same frame."""
    from phase2_tabular.tabular_api.monitoring import PredictionLog
    from phase5_mlops.closed_loop.retrain import aligned_window
    from phase5_mlops.closed_loop.window import traffic_records
    from phase5_mlops.monitoring.live import LogMonitor, compare_window
    from phase5_mlops.retraining_pipeline.batches import daily_batch, pool_and_holdout

    _, _, spec = pool_and_holdout(0)
    reference = daily_batch(0)[spec.features]
    rows = []
    with tempfile.TemporaryDirectory(prefix="closed-loop-bench-") as tmp:
        for n in sizes(quick, full=(300, 1000, 3000), small=(100, 300, 1000)):
            records = traffic_records(day=1, drift=1.0, n=n)
            log = PredictionLog(str(Path(tmp) / f"log-{n}.jsonl"), n)
            log.write(records, ["Adelie"] * n, [1.0] * n, model_version="b", request_id=None)
            path = Path(tmp) / f"log-{n}.jsonl"
            verdict = LogMonitor(path, reference, window=n).check()
            assert verdict is not None
            frame = aligned_window(verdict.current, spec)
            direct, _ = compare_window(reference, frame)
            same = verdict.drifted == [c.column for c in direct.columns if c.result.drifted]
            rows.append(
                compare(
                    "monitor verdict from log",
                    n,
                    partial(_monitor_check, path, reference, n),
                    partial(compare_window, reference, frame),
                    reference="monitoring compare_window, rows in memory",
                    repeats=3,
                    quality={"drifted": ",".join(verdict.drifted), "same_verdict": same},
                )
            )
    return rows


def stage_rows(quick: bool) -> list[BenchRow]:
    """The duration of each stage of one real loop run (healthy challenger).

    Quick mode reads the last finished run of the quick demo with the same settings when there
    is one (`make demo` runs the demo just before this bench): a run trains, serves and canaries
    a model, the larger part of the bench's cost. Its rows name the run they come from."""
    config = LoopConfig(window=200 if quick else 300, n_splits=2 if quick else 3)
    report = last_demo_run(config) if quick else None
    if report is None:
        with tempfile.TemporaryDirectory(prefix="closed-loop-bench-") as tmp:
            report = asdict(run_closed_loop(config, runs_dir=Path(tmp))[0])
    source = {"run": report["run_id"]}
    rows, before = [], _t(report["started"])
    for stage in report["stages"]:
        at = _t(stage["at"])
        quality = {"passed": stage["passed"], "outcome": report["outcome"], **source}
        if stage["name"] == "canary":
            quality["steps"] = len(stage["evidence"]["steps"])
        rows.append(BenchRow(f"loop stage: {stage['name']}", config.window, at - before, "-",
                             None, quality))  # fmt: skip
        before = at
    rows.append(BenchRow("loop: end to end", config.window, before - _t(report["started"]), "-",
                         None, {"outcome": report["outcome"], **source}))  # fmt: skip
    return rows


def last_demo_run(config: LoopConfig) -> dict[str, Any] | None:
    """The newest finished report under the demo's runs folder with `config`'s settings."""
    from phase5_mlops.closed_loop.loop import RUNS_DIR

    # The run folder and its registry differ from run to run; every other setting must match.
    wanted = {k: v for k, v in asdict(config).items() if k not in ("workdir", "tracking_uri")}
    reports = sorted(RUNS_DIR.glob("*/report.json"), key=lambda p: p.stat().st_mtime)
    for path in reversed(reports):
        report = json.loads(path.read_text())
        same = {k: report.get("config", {}).get(k) for k in wanted} == wanted
        if same and report.get("outcome") not in (None, "running") and report.get("stages"):
            return report
    return None


def run(quick: bool = False) -> list[BenchRow]:
    """Monitor timings at three sizes, then one loop run's stage timings."""
    return monitor_rows(quick) + stage_rows(quick)


def _t(stamp: str) -> float:
    return dt.datetime.fromisoformat(stamp).timestamp()


def _monitor_check(path: Path, reference: Any, window: int) -> Any:
    """The loop's monitor stage: read the log, compare the window with the reference."""
    from phase5_mlops.monitoring.live import LogMonitor

    return LogMonitor(path, reference, window=window).check()
