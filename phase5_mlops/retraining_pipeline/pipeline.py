"""One nightly run, step by step: ingest, contract, drift, train, quality, register, promote,
serving check, and rollback when the serving check fails.

`run_nightly(config, call)` holds the order and the decisions once. `call(name, fn, *args)`
runs a step: `direct_call` runs it in-process, the Prefect flow (flow.py) runs it as a task
with retries. Steps are looked up on their modules at call time, so both runners execute the
same functions (and a test can replace one to inject a fault).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypedDict

from phase2_tabular.common.tables import REPO_ROOT
from phase5_mlops.registry.model_registry import TabularRegistry
from phase5_mlops.retraining_pipeline import gates, steps
from phase5_mlops.retraining_pipeline.batches import pool_and_holdout
from phase5_mlops.retraining_pipeline.run_report import RunReport

RUNS_DIR = REPO_ROOT / "artifacts" / "phase5_mlops" / "retraining_runs"
Call = Callable[..., Any]


@dataclass
class RetrainConfig:
    """Everything a run depends on (JSON-able: it is the Prefect flow's parameter)."""

    name: str = "penguins"
    day: int = 1
    drift: float = 0.0
    label_noise: float = 0.0
    corrupt_rows: int = 0
    seed: int = 0
    family: str = "logistic_regression"
    n_splits: int = 3
    tracking_uri: str | None = None
    artifact_root: str | None = None
    runs_dir: str = str(RUNS_DIR)
    max_drifted_share: float = gates.Thresholds.max_drifted_share
    margin: float = gates.Thresholds.margin
    floor: float = gates.Thresholds.floor

    @property
    def thresholds(self) -> gates.Thresholds:
        return gates.Thresholds(self.max_drifted_share, self.margin, self.floor)


class StorePaths(TypedDict):
    """Where a run keeps its registry and reports (RetrainConfig fields, for `**` in calls)."""

    tracking_uri: str
    artifact_root: str
    runs_dir: str


class Faults(TypedDict, total=False):
    """The faults a night can inject (RetrainConfig fields, for `**` in calls)."""

    drift: float
    label_noise: float
    corrupt_rows: int


def direct_call(name: str, fn: Call, *args: Any, **kwargs: Any) -> Any:
    """Run a step in-process (the plain runner)."""
    return fn(*args, **kwargs)


def run_nightly(config: RetrainConfig, call: Call = direct_call) -> RunReport:
    """Run every gate in order; promote only through all of them; write the run report."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    report = RunReport(f"{config.name}-day{config.day:03d}-{stamp}", asdict(config))
    out = Path(config.runs_dir) / report.run_id
    try:
        _run(config, call, report, out)
    finally:
        report.write(out)
    return report


def _run(config: RetrainConfig, call: Call, report: RunReport, out: Path) -> None:
    registry = TabularRegistry(config.name, uri=config.tracking_uri, artifacts=config.artifact_root)
    limits = config.thresholds
    pool, holdout, spec = pool_and_holdout(config.seed)
    report.champion_before = call("champion_version", steps.champion_version, registry)

    def reject() -> None:
        report.finish("rejected", call("champion_version", steps.champion_version, registry))

    batch = call(
        "ingest",
        steps.ingest,
        out,
        config.day,
        config.drift,
        config.label_noise,
        config.corrupt_rows,
        config.seed,
    )
    report.step("ingest", rows=len(batch))
    if not report.gate(call("contract", gates.contract_gate, batch, spec)):
        return reject()
    if not report.gate(call("drift", gates.drift_gate, pool, batch, spec, limits)):
        return reject()

    challenger_dir = call(
        "train", steps.train_challenger, batch, out, config.family, config.seed, config.n_splits
    )
    report.step("train", artifact=str(challenger_dir))
    scores = call("score", steps.score_models, challenger_dir, registry, holdout, spec)
    quality = gates.quality_gate(scores["challenger"], scores["champion"], limits)
    quality.detail["champion_version"] = scores["champion_version"]
    if not report.gate(quality):
        return reject()

    reason = f"{report.run_id}: {quality.message}"
    version = call("register", steps.register, registry, challenger_dir, reason)
    report.challenger_version = version
    report.step("register", version=version)
    call("promote", steps.promote, registry, version, reason)
    report.step("promote", version=version)
    serving = call(
        "serving",
        gates.serving_gate,
        registry.uri,
        registry.model_uri("champion"),
        scores["challenger_sha256"],
        scores["challenger_labels"],
        holdout,
        spec,
        limits,
    )
    if report.gate(serving):
        report.finish("promoted", version)
        return None
    _undo_promotion(call, registry, report, serving.message)
    return None


def _undo_promotion(call: Call, registry: TabularRegistry, report: RunReport, why: str) -> None:
    """Roll back to the previous champion (or clear the alias if this was the first one)."""
    reason = f"{report.run_id}: serving check failed: {why}"
    if report.champion_before is None:
        registry.set_alias("champion", None, reason=reason, actor="retraining_pipeline")
        report.step("rollback", to=None, note="first promotion failed: champion alias cleared")
    else:
        back = call("rollback", steps.rollback, registry, reason)
        report.step("rollback", to=back)
    after = call("champion_version", steps.champion_version, registry)
    report.finish("rolled_back", after)
