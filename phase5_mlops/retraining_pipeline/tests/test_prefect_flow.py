"""The same nightly run as a Prefect 3 flow, offline: a temporary local Prefect server, no
PREFECT_API_URL, run through the command line that cron and the CronJob call."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_prefect_flow_promotes_a_first_champion_and_writes_its_report(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_ENABLED="false",
        MLFLOW_TRACKING_URI=f"sqlite:///{tmp_path / 'mlflow.db'}",
        MLFLOW_ARTIFACT_ROOT=str(tmp_path / "artifacts"),
    )
    runs = tmp_path / "runs"
    cmd = [sys.executable, "-m", "phase5_mlops.retraining_pipeline", "run", "--prefect"]
    done = subprocess.run(
        [*cmd, "--name", "penguins", "--day", "0", "--runs-dir", str(runs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # Prefect really ran it: its task runs are in the log, under the step names.
    for step in ("ingest", "contract", "drift", "train", "register", "promote", "serving"):
        assert f"Task run '{step}-" in done.stderr + done.stdout, step
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["outcome"] == "promoted"
    report = json.loads((Path(summary["report"]).with_name("report.json")).read_text())
    assert [g["name"] for g in report["gates"]] == ["contract", "drift", "quality", "serving"]
    assert all(g["passed"] for g in report["gates"]) and report["champion_after"] == "1"
