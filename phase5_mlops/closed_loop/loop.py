"""`run_closed_loop(config)`: one loop run on a throwaway registry; its report written, returned."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

from phase2_tabular.common.tables import REPO_ROOT
from phase5_mlops.closed_loop.decision import run_loop
from phase5_mlops.closed_loop.live_stages import POLICY, LiveStages, LoopConfig
from phase5_mlops.closed_loop.report import LoopReport
from phase5_mlops.deploy.policy import RolloutPolicy

RUNS_DIR = REPO_ROOT / "artifacts" / "phase5_mlops" / "closed_loop"


def run_closed_loop(
    config: LoopConfig, runs_dir: Path = RUNS_DIR, policy: RolloutPolicy = POLICY
) -> tuple[LoopReport, Path]:
    """Run the loop; without a `tracking_uri` a fresh sqlite registry lives in the run folder."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    run_id = f"{config.name}-day{config.day:03d}-{config.fault}-{stamp}"
    folder = Path(runs_dir) / run_id
    folder.mkdir(parents=True, exist_ok=True)
    config.workdir = config.workdir or str(folder)
    config.tracking_uri = config.tracking_uri or f"sqlite:///{folder / 'mlflow.db'}"
    report = LoopReport(run_id, asdict(config))
    try:
        with LiveStages(config, policy) as stages:
            run_loop(stages, report)
    finally:
        report.write(folder)
    return report, folder
