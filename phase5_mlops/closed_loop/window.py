"""The day's live requests and the monitor's verdict on them, as the loop reads it.

The requests of day D are drawn as batch `TRAFFIC_DAY + D` of the retraining pipeline's
simulator: the same distribution (and drift) as the day's labelled batch, other rows, so
the retrain's drift gate compares two real samples instead of a batch with itself.
"""

from __future__ import annotations

from typing import Any

from phase5_mlops.closed_loop.decision import DriftEvidence
from phase5_mlops.monitoring.live import WindowVerdict
from phase5_mlops.retraining_pipeline.batches import daily_batch, pool_and_holdout

TRAFFIC_DAY = 1000


def traffic_records(day: int, drift: float, n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` API records of day `day`'s requests (JSON nulls for missing values)."""
    batch = daily_batch(TRAFFIC_DAY + day, drift=drift, n_rows=n, seed=seed)
    _, _, spec = pool_and_holdout(seed)
    return [
        {k: (None if v != v else v) for k, v in row.items()}
        for row in batch[spec.features].to_dict(orient="records")
    ]


def evidence(verdict: WindowVerdict, **extra: Any) -> DriftEvidence:
    """The loop's drift evidence from the monitor's window verdict (tests, PSI, share)."""
    detail = {**verdict.report.to_dict(), **extra}
    return DriftEvidence(
        verdict.drifted,
        dict(verdict.psi),
        verdict.report.drifted_share,
        len(verdict.current),
        detail,
    )
