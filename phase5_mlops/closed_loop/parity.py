"""Checks: the loop's decision table on scripted stages, and its drift verdict against the
monitoring milestone's tests (and scipy's KS) on the same window.

There is no library that runs this loop, so the decisions are behaviour checks; the drift
verdict is the one number-for-number comparison: the loop reads the champion's prediction
log through `LogMonitor`, and must find what `detect_drift` finds on the same rows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version
from phase5_mlops.closed_loop.decision import run_loop
from phase5_mlops.closed_loop.report import LoopReport
from phase5_mlops.closed_loop.scripted import CALM, FAILED, ScriptedStages

WINDOW = 300


def decision_checks() -> list[ParityResult]:
    """One behaviour check per branch of the decision table."""
    cases = [
        ("no drift -> no retrain, champion kept", ScriptedStages(evidence=CALM), "no_drift",
         ["observe"], {"champion": "1"}),
        ("gate rejects -> no canary, champion kept", ScriptedStages(version=None),
         "retrain_rejected", ["observe", "retrain"], {"champion": "1"}),
        ("canary fails -> challenger removed, champion kept", ScriptedStages(canary=FAILED),
         "rolled_back", ["observe", "retrain", "canary", "roll_back"], {"champion": "1"}),
        ("canary passes -> challenger promoted", ScriptedStages(), "promoted",
         ["observe", "retrain", "canary", "promote"], {"champion": "2"}),
        ("empty registry -> bootstrap first", ScriptedStages(champion=None), "promoted",
         ["bootstrap", "observe", "retrain", "canary", "promote"], {"champion": "2"}),
    ]  # fmt: skip
    out = []
    for name, stages, outcome, calls, aliases in cases:
        report = run_loop(stages, LoopReport("check", {}))
        ok = report.outcome == outcome and stages.calls == calls and stages.aliases == aliases
        detail = f"outcome {report.outcome}, stages {stages.calls}, aliases {stages.aliases}"
        out.append(behaviour(f"decision: {name}", ok, detail))
    return out


def drift_verdict_checks() -> list[ParityResult]:
    """The loop's verdict from a real prediction log vs the monitoring tests and scipy."""
    from scipy.stats import ks_2samp

    from phase2_tabular.tabular_api.monitoring import PredictionLog
    from phase5_mlops.closed_loop.retrain import aligned_window
    from phase5_mlops.closed_loop.window import evidence, traffic_records
    from phase5_mlops.monitoring.drift import detect_drift
    from phase5_mlops.monitoring.live import LogMonitor, compare_window
    from phase5_mlops.retraining_pipeline.batches import daily_batch, pool_and_holdout

    _, _, spec = pool_and_holdout(0)
    reference = daily_batch(0)[spec.features]  # what the bootstrap's nightly run trains on
    records = traffic_records(day=1, drift=1.0, n=WINDOW)
    with tempfile.TemporaryDirectory(prefix="closed-loop-check-") as tmp:
        log = PredictionLog(str(Path(tmp) / "predictions.jsonl"), WINDOW)
        log.write(records, ["Adelie"] * len(records), [1.0] * len(records),
                  model_version="check", request_id=None)  # fmt: skip
        assert log.path is not None  # a PredictionLog given a path keeps it
        verdict = LogMonitor(log.path, reference, window=WINDOW).check()
    assert verdict is not None
    ours = evidence(verdict)
    current = aligned_window(verdict.current, spec)
    direct = detect_drift(reference, current, list(spec.features))
    _, direct_psi = compare_window(reference, current)
    stats = [c["statistic"] for c in ours.detail["columns"]]
    direct_stats = [c.result.statistic for c in direct.columns]
    drifted = [c.column for c in direct.columns if c.result.drifted]
    numeric = list(spec.numeric)
    scipy_ks = [ks_2samp(reference[c].dropna(), current[c].dropna()).statistic for c in numeric]
    ours_ks = [s for s, c in zip(stats, spec.features, strict=True) if c in spec.numeric]
    same = ours.drifted == drifted and ours.psi == direct_psi and ours.triggered
    return [
        compare("drift verdict: statistics == monitoring detect_drift", stats, direct_stats,
                reference="phase5_mlops.monitoring", exact=True),
        behaviour("drift verdict: drifted columns and PSI == monitoring", same,
                  f"loop {ours.drifted} vs monitoring {drifted}; alerts {ours.alerts}"),
        compare("drift verdict: numeric KS == scipy ks_2samp", np.array(ours_ks),
                np.array(scipy_ks), reference=reference_version("scipy"), rtol=1e-12),
    ]  # fmt: skip


def trigger_checks(days: int = 10) -> list[ParityResult]:
    """The retraining trigger on real windows: silent on undrifted days, firing on drift 1.0."""
    import pandas as pd

    from phase5_mlops.closed_loop.decision import DriftEvidence
    from phase5_mlops.closed_loop.retrain import aligned_window
    from phase5_mlops.closed_loop.window import traffic_records
    from phase5_mlops.monitoring.live import compare_window
    from phase5_mlops.retraining_pipeline.batches import daily_batch, pool_and_holdout

    _, _, spec = pool_and_holdout(0)
    reference = daily_batch(0)[spec.features]
    fired = {}
    for drift in (0.0, 1.0):
        fired[drift] = 0
        for day in range(1, days + 1):
            window = aligned_window(pd.DataFrame(traffic_records(day, drift, WINDOW)), spec)
            report, psi = compare_window(reference, window)
            flagged = [c.column for c in report.columns if c.result.drifted]
            fired[drift] += DriftEvidence(flagged, psi, report.drifted_share, WINDOW).triggered
    ok = fired[0.0] == 0 and fired[1.0] == days
    detail = f"retrain fired on {fired[0.0]}/{days} undrifted and {fired[1.0]}/{days} drifted days"
    return [behaviour("trigger: silent without drift, fires on drift 1.0", ok, detail)]


def checks() -> list[ParityResult]:
    """Every check of the milestone (a few seconds)."""
    return decision_checks() + drift_verdict_checks() + trigger_checks()
