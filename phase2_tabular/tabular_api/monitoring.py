"""Prediction logging and a drift summary against the training reference.

Each prediction is appended to a JSON-lines file (one object per record: time, request id,
model version, the features as received, the predicted class and its probability), the
format the phase 5 drift monitor reads. A bounded in-memory window of recent records feeds
`GET /monitoring/drift`: the population stability index (PSI) of every feature against
the reference profile saved in the model card at training time.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from phase2_tabular.common.tables import TableSpec

MISSING = "__missing__"
PSI_WARN, PSI_DRIFT = 0.1, 0.25  # the usual rule of thumb: <0.1 stable, >0.25 shifted
_EPS = 1e-4  # floor for empty bins so the log ratio stays finite


def reference_profile(df: pd.DataFrame, spec: TableSpec, n_bins: int = 10) -> dict[str, Any]:
    """Per-feature reference distribution: quantile bins (numeric) or category shares."""
    profile: dict[str, Any] = {"n_rows": len(df), "numeric": {}, "categorical": {}}
    for col in spec.numeric:
        values = df[col].to_numpy(dtype=np.float64)
        present = values[~np.isnan(values)]
        inner = np.unique(np.quantile(present, np.linspace(0, 1, n_bins + 1)[1:-1]))
        profile["numeric"][col] = {
            "edges": inner.tolist(),
            "shares": _numeric_shares(values, inner).tolist(),
            "mean": float(present.mean()),
        }
    for col, allowed in spec.categorical.items():
        profile["categorical"][col] = {
            "categories": [*allowed, MISSING],
            "shares": _category_shares(df[col].tolist(), allowed).tolist(),
        }
    return profile


def drift_summary(
    profile: dict[str, Any], records: list[dict[str, Any]], *, min_window: int = 100
) -> dict[str, Any]:
    """PSI per feature of `records` (dicts of features) against the reference profile.

    Below `min_window` records PSI is mostly sampling noise: statuses read "too_few".
    """
    features: dict[str, Any] = {}
    if records:
        for col, ref in profile["numeric"].items():
            values = np.array([_num(r.get(col)) for r in records], dtype=np.float64)
            shares = _numeric_shares(values, np.array(ref["edges"]))
            present = values[~np.isnan(values)]
            features[col] = {
                "psi": psi(np.array(ref["shares"]), shares),
                "mean": float(present.mean()) if present.size else None,
                "reference_mean": ref["mean"],
            }
        for col, ref in profile["categorical"].items():
            shares = _category_shares([r.get(col) for r in records], ref["categories"][:-1])
            features[col] = {"psi": psi(np.array(ref["shares"]), shares)}
        for stats in features.values():
            p = stats["psi"]
            status = "drift" if p > PSI_DRIFT else "warn" if p > PSI_WARN else "ok"
            stats["status"] = status if len(records) >= min_window else "too_few"
    return {
        "window": len(records),
        "reference_rows": profile["n_rows"],
        "thresholds": {"warn": PSI_WARN, "drift": PSI_DRIFT, "min_window": min_window},
        "drifted": sorted(k for k, v in features.items() if v["status"] == "drift"),
        "features": features,
    }


def psi(reference: np.ndarray, current: np.ndarray) -> float:
    """Population stability index sum((c - r) * ln(c / r)) with empty bins floored."""
    r = np.maximum(reference, _EPS)
    c = np.maximum(current, _EPS)
    return float(np.sum((c - r) * np.log(c / r)))


class PredictionLog:
    """Thread-safe JSON-lines prediction log plus a window of recent feature records."""

    def __init__(self, path: str | Path | None, window: int) -> None:
        self.path = Path(path) if path else None
        self.recent: deque[dict[str, Any]] = deque(maxlen=window)
        self._lock = threading.Lock()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def write(
        self,
        records: list[dict[str, Any]],
        labels: list[str],
        confidence: list[float],
        *,
        model_version: str,
        request_id: str | None,
    ) -> None:
        """Append one line per record and remember the records for the drift window."""
        now = time.time()
        lines = [
            json.dumps(
                {
                    "ts": now,
                    "request_id": request_id,
                    "model_version": model_version,
                    "features": rec,
                    "prediction": label,
                    "confidence": conf,
                }
            )
            for rec, label, conf in zip(records, labels, confidence, strict=True)
        ]
        with self._lock:
            self.recent.extend(records)
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write("\n".join(lines) + "\n")

    def window(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.recent)


def read_prediction_log(path: Path) -> list[dict[str, Any]]:
    """Every logged prediction, in order (what the phase 5 drift monitor reads)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _numeric_shares(values: np.ndarray, inner_edges: np.ndarray) -> np.ndarray:
    """Shares of len(edges)+1 bins plus a final missing bucket."""
    missing = np.isnan(values)
    counts = np.bincount(
        np.searchsorted(inner_edges, values[~missing], side="right"),
        minlength=inner_edges.size + 1,
    ).astype(np.float64)
    counts = np.append(counts, missing.sum())
    return counts / max(1, values.size)


def _category_shares(values: list[Any], allowed: list[str] | tuple[str, ...]) -> np.ndarray:
    index = {c: i for i, c in enumerate(allowed)}
    counts = np.zeros(len(allowed) + 1)
    for v in values:
        counts[index.get(v, len(allowed)) if isinstance(v, str) else len(allowed)] += 1
    return counts / max(1, len(values))


def _num(value: Any) -> float:
    if value is None:
        return math.nan
    return float(value)
