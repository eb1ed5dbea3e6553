"""The gates a nightly model must pass, each returning a `GateResult` instead of raising.

contract: the batch satisfies phase 2's pandera contract.
drift: at most `max_drifted_share` of the feature columns drift from the reference
  (the monitoring milestone's per-column tests); more means a human looks first.
quality: on the shared holdout the challenger's balanced accuracy is at least
  `floor` and no worse than the champion's minus `margin`.
serving: after promotion the phase 2 API, loading `models:/NAME@champion`, is ready, serves
  the promoted model's bytes and reproduces its offline predictions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from phase2_tabular.common.tables import TableSpec


@dataclass
class Thresholds:
    """The documented limits of the gates."""

    max_drifted_share: float = 0.25  # one false alarm in six columns passes, two do not
    # The holdout has 86 rows: one more error costs ~0.011 balanced accuracy, so a margin of
    # 0.02 lets a challenger trail by one or two errors, not by three.
    margin: float = 0.02
    floor: float = 0.90  # and must reach this balanced accuracy regardless


@dataclass
class GateResult:
    """The outcome of one gate, with the numbers that decided it."""

    name: str
    passed: bool
    message: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def contract_gate(batch: pd.DataFrame, spec: TableSpec) -> GateResult:
    """The batch against the table's pandera contract (every failure listed)."""
    from phase2_tabular.common.contract import validate

    report = validate(batch, spec)
    message = "all rows valid" if report.ok else f"{len(report.failures)} contract failures"
    detail = {"n_rows": report.n_rows, "failures": report.failures[:20]}
    return GateResult("contract", report.ok, message, detail)


def drift_gate(
    reference: pd.DataFrame, batch: pd.DataFrame, spec: TableSpec, limits: Thresholds
) -> GateResult:
    """Share of drifted feature columns against the reference window."""
    from phase5_mlops.monitoring.drift import detect_drift

    report = detect_drift(reference[spec.features], batch[spec.features])
    share = report.drifted_share
    drifted = [c.column for c in report.columns if c.result.drifted]
    passed = share <= limits.max_drifted_share
    message = f"{share:.2f} of columns drifted {drifted} (limit {limits.max_drifted_share})"
    return GateResult("drift", passed, message, report.to_dict())


def balanced_accuracy(pipeline: Any, holdout: pd.DataFrame, spec: TableSpec) -> float:
    """Balanced accuracy of a pipeline on the holdout."""
    from sklearn.metrics import balanced_accuracy_score

    pred = pipeline.predict(holdout[spec.features])
    return float(balanced_accuracy_score(holdout[spec.target], pred))


def quality_gate(challenger: float, champion: float | None, limits: Thresholds) -> GateResult:
    """Challenger vs champion balanced accuracy on the same holdout."""
    needed = limits.floor if champion is None else max(limits.floor, champion - limits.margin)
    passed = challenger >= needed
    versus = "no champion yet" if champion is None else f"champion {champion:.4f}"
    message = f"challenger {challenger:.4f} vs {versus}; needs >= {needed:.4f}"
    detail = {"challenger": challenger, "champion": champion, "needed": needed, **asdict(limits)}
    return GateResult("quality", passed, message, detail)


def serving_gate(
    tracking_uri: str,
    model_uri: str,
    expected_sha256: str,
    expected_labels: list[str],
    holdout: pd.DataFrame,
    spec: TableSpec,
    limits: Thresholds,
) -> GateResult:
    """The phase 2 API, configured with `model_uri`, serves exactly the promoted model."""
    from fastapi.testclient import TestClient

    from phase2_tabular.tabular_api.app import create_app
    from phase2_tabular.tabular_api.settings import TabularSettings
    from phase5_mlops.retraining_pipeline.steps import store_env

    settings = TabularSettings(artifact_dir=model_uri, prediction_log="", log_level="WARNING")
    records = [
        {k: (None if v != v else v) for k, v in row.items()}
        for row in holdout[spec.features].to_dict(orient="records")
    ]
    with store_env(tracking_uri), TestClient(create_app(settings)) as client:
        ready = client.get("/readyz").status_code == 200
        if not ready:
            problem = client.get("/model").json().get("detail", "not ready")
            return GateResult("serving", False, f"service not ready: {problem}", {})
        card = client.get("/model").json()
        labels = [
            p["label"]
            for start in range(0, len(records), 200)
            for p in client.post(
                "/predict/batch", json={"records": records[start : start + 200]}
            ).json()["predictions"]
        ]
    from sklearn.metrics import balanced_accuracy_score

    accuracy = float(balanced_accuracy_score(holdout[spec.target], labels))
    same_model = card.get("model_sha256") == expected_sha256
    same_labels = labels == expected_labels
    passed = same_model and same_labels and accuracy >= limits.floor
    message = (
        f"served {card.get('served_from', {}).get('version')} "
        f"(sha ok: {same_model}, predictions equal: {same_labels}, "
        f"balanced accuracy {accuracy:.4f})"
    )
    detail = {"served_from": card.get("served_from"), "accuracy": accuracy}
    return GateResult("serving", passed, message, detail)
