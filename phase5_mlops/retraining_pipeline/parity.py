"""Checks: a clean night is promoted and served byte for byte; every gate stops a bad night
and leaves the champion serving; the drift verdict equals scipy's KS test on the batch."""

from __future__ import annotations

import tempfile
from pathlib import Path

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version


def checks() -> list[ParityResult]:
    """Run four nights with the plain runner in a throwaway sqlite store."""
    from scipy import stats

    from phase5_mlops.retraining_pipeline.batches import daily_batch, pool_and_holdout
    from phase5_mlops.retraining_pipeline.pipeline import (
        Faults,
        RetrainConfig,
        StorePaths,
        run_nightly,
    )

    results = []
    with tempfile.TemporaryDirectory(prefix="retraining-parity-") as tmp:
        root = Path(tmp)
        base: StorePaths = {
            "tracking_uri": f"sqlite:///{root / 'mlflow.db'}",
            "artifact_root": str(root / "artifacts"),
            "runs_dir": str(root / "runs"),
        }
        first = run_nightly(RetrainConfig(day=0, **base))
        serving = first.gates[-1]
        results.append(
            behaviour(
                "clean night is promoted and the API serves the new version's bytes",
                first.outcome == "promoted" and serving["name"] == "serving" and serving["passed"],
                serving["message"],
            )
        )
        faults: list[tuple[str, Faults]] = [
            ("contract", {"corrupt_rows": 5}),
            ("drift", {"drift": 1.0}),
            ("quality", {"label_noise": 0.5}),
        ]
        for gate, fault in faults:
            night = run_nightly(RetrainConfig(day=5, **base, **fault))
            kept = night.champion_after == night.champion_before == first.champion_after
            results.append(
                behaviour(
                    f"{gate} gate rejects the night and keeps champion v{first.champion_after}",
                    night.outcome == "rejected" and night.failed_gate == gate and kept,
                    f"{night.outcome} at {night.failed_gate}",
                )
            )
    # The drift gate's body-mass verdict is the KS test: same p-value as scipy's exact KS.
    pool, _, spec = pool_and_holdout()
    batch = daily_batch(1, drift=1.0)
    from phase5_mlops.monitoring.drift import detect_drift

    ours = {c.column: c for c in detect_drift(pool[spec.features], batch[spec.features]).columns}
    ref = stats.ks_2samp(
        pool["body_mass_g"].dropna(), batch["body_mass_g"].dropna(), method="exact"
    ).pvalue
    results.append(
        compare(
            "drift gate body_mass_g KS p-value == scipy.stats.ks_2samp(exact)",
            ours["body_mass_g"].result.p_value,
            ref,
            reference=reference_version("scipy"),
            rtol=1e-9,
            atol=1e-12,
        )
    )
    return results
