"""Retraining on a genuine shift: the retraining pipeline's steps and gates, minus promotion.

The nightly's drift gate compares a batch with the training pool and stops on drift, which
is right for a nightly (drift there means "a human looks first") and wrong here, where drift
is the reason to retrain. In the loop the drift gate's reference is the *recent window*: the
live requests the monitor just judged. A batch that looks like what production sees now
passes (the shift is real and the new data describes it); a batch that disagrees with live
traffic (a broken feed, another shift) is still stopped. The nightly's verdict against the
training pool is kept in the report as evidence of the shift. The quality gate is the
nightly's (same holdout, same margin and floor) and the candidate is registered as
`challenger`, never promoted here: the canary decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from phase2_tabular.common.tables import TableSpec
from phase5_mlops.closed_loop.decision import RetrainOutcome
from phase5_mlops.registry.model_registry import TabularRegistry
from phase5_mlops.retraining_pipeline import gates, steps
from phase5_mlops.retraining_pipeline.batches import pool_and_holdout


def aligned_window(window: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """The logged window's feature columns with numeric dtypes restored (JSON nulls -> NaN)."""
    out = window[spec.features].copy()
    for col in spec.numeric:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out


def retrain_on_window(
    registry: TabularRegistry, window: pd.DataFrame, config: Any, out: Path, actor: str
) -> tuple[RetrainOutcome, dict[str, Any]]:
    """Ingest the day's batch, run contract/drift/quality gates, register the challenger."""
    limits = gates.Thresholds()
    pool, holdout, spec = pool_and_holdout(config.seed)
    batch = steps.ingest(out, config.day, config.drift, 0.0, 0, config.seed)
    recent = aligned_window(window, spec)
    nightly = gates.drift_gate(pool, batch, spec, limits)
    detail: dict[str, Any] = {
        "batch_rows": len(batch),
        "nightly_drift_gate": f"{'pass' if nightly.passed else 'reject'}: {nightly.message}",
    }
    results: list[gates.GateResult] = []

    def stop(result: gates.GateResult) -> RetrainOutcome:
        return RetrainOutcome(None, [r.to_dict() for r in results], result.name, detail)

    for gate in (
        lambda: gates.contract_gate(batch, spec),
        lambda: _renamed(gates.drift_gate(recent, batch, spec, limits), "drift vs recent window"),
    ):
        results.append(gate())
        if not results[-1].passed:
            return stop(results[-1]), {}

    challenger_dir = steps.train_challenger(
        batch, out, "logistic_regression", config.seed, config.n_splits
    )
    scores = steps.score_models(challenger_dir, registry, holdout, spec)
    quality = gates.quality_gate(scores["challenger"], scores["champion"], limits)
    quality.detail["champion_version"] = scores["champion_version"]
    results.append(quality)
    if not quality.passed:
        return stop(quality), {}
    reason = f"closed loop day {config.day}: {quality.message}"
    version = registry.register(challenger_dir, reason=reason, actor=actor)
    detail["challenger_sha256"] = scores["challenger_sha256"]
    detail["artifact"] = str(challenger_dir)
    outcome = RetrainOutcome(version, [r.to_dict() for r in results], None, detail)
    return outcome, scores


def _renamed(result: gates.GateResult, name: str) -> gates.GateResult:
    result.name = name
    return result
