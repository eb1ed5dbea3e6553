"""Calibration: sigmoid and isotonic CalibratedClassifierCV, Brier scores and a reliability plot.

The default base model is Gaussian naive Bayes, whose independence assumption makes it
over-confident (probabilities pushed to 0 and 1). It and both calibrated versions are
fitted on one stratified training split and scored on the held-out rows: Brier score
before/after, and the reliability curve of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

from phase2_tabular.common.pipeline import make_pipeline
from phase2_tabular.common.tables import TableSpec, split_xy


@dataclass
class CalibrationResult:
    """Brier scores and reliability curves (mean predicted, observed fraction) per method."""

    brier: dict[str, float]
    curves: dict[str, tuple[np.ndarray, np.ndarray]]
    positive: str
    n_test: int


def calibrate(
    df: pd.DataFrame,
    spec: TableSpec,
    *,
    model: Any = None,
    seed: int = 0,
    n_bins: int = 10,
    test_size: float = 0.3,
) -> CalibrationResult:
    """Fit the raw model and its sigmoid/isotonic calibrations; score them on held-out rows."""
    X, y = split_xy(df, spec)
    positive = spec.classes[1]
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    model = GaussianNB() if model is None else model
    fitted = {"uncalibrated": make_pipeline(spec, model).fit(X_tr, y_tr)}
    for method in ("sigmoid", "isotonic"):
        cal = CalibratedClassifierCV(make_pipeline(spec, model), method=method, cv=3)
        fitted[method] = cal.fit(X_tr, y_tr)
    truth = (y_te == positive).to_numpy()
    brier, curves = {}, {}
    for name, est in fitted.items():
        p = est.predict_proba(X_te)[:, list(est.classes_).index(positive)]
        brier[name] = float(brier_score_loss(truth, p))
        frac, mean_pred = calibration_curve(truth, p, n_bins=n_bins, strategy="quantile")
        curves[name] = (mean_pred, frac)
    return CalibrationResult(brier, curves, positive, len(y_te))


def plot_reliability(result: CalibrationResult, path: Path, title: str = "") -> Path:
    """Write the reliability diagram (one line per method, Brier in the legend) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4.0), dpi=90)
    ax.plot([0, 1], [0, 1], ls=":", color="grey", label="perfect")
    for name, (mean_pred, frac) in result.curves.items():
        ax.plot(mean_pred, frac, marker="o", ms=3, label=f"{name} (Brier {result.brier[name]:.3f})")
    ax.set_xlabel(f"mean predicted P({result.positive})")
    ax.set_ylabel("observed fraction")
    ax.set_title(title or "Reliability curves (held-out rows)", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
