"""Training: validate the table, snapshot it, cross-validate, fit, and save an artifact.

`train()` is the entry point later phases call (the phase 5 pipeline retrains through it).
Everything random takes the one `seed`, so two runs with the same seed produce the same
pipeline and byte-identical predictions.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from phase2_tabular.common.tables import REPO_ROOT, load_table, split_xy
from phase2_tabular.tabular_api.artifact import library_versions, save_artifact, schema_of
from phase2_tabular.tabular_api.monitoring import reference_profile
from phase2_tabular.tabular_api.settings import DEFAULT_ARTIFACT_DIR

FAMILIES = ("logistic_regression", "random_forest", "hist_gradient_boosting")
METRICS = ("balanced_accuracy", "accuracy", "f1_macro")


def make_model(family: str, seed: int) -> Any:
    """An unfitted estimator of one family with the milestone's default settings."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    if family == "logistic_regression":
        return LogisticRegression(C=1.0, max_iter=2000)
    if family == "random_forest":
        return RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=1)
    if family == "hist_gradient_boosting":
        return HistGradientBoostingClassifier(random_state=seed, max_iter=100)
    raise ValueError(f"unknown model family {family!r}; choose one of {FAMILIES}")


def train(
    out_dir: Path | str | None = None,
    *,
    table: str = "penguins",
    family: str = "logistic_regression",
    seed: int = 0,
    n_splits: int = 5,
    data: pd.DataFrame | None = None,
) -> Path:
    """Train on a contract-checked table and save the artifact; returns its folder.

    `data` replaces the packaged table (a later phase passes fresh rows); it must satisfy
    the table's contract, else ValueError with the validation report.
    """
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from threadpoolctl import threadpool_limits

    from phase0_env.common.seeding import seed_everything
    from phase2_tabular.common.contract import validate
    from phase2_tabular.common.pipeline import make_pipeline
    from phase2_tabular.common.snapshot import write_snapshot

    out = Path(out_dir) if out_dir is not None else DEFAULT_ARTIFACT_DIR / "model"
    df, spec = load_table(table)
    if data is not None:
        df = data.reset_index(drop=True)
    report = validate(df, spec)
    if not report.ok:
        raise ValueError(f"training data breaks the contract:\n{report}")
    seed_everything(seed)
    snapshot = write_snapshot(df, spec, out / "train_snapshot.parquet")
    X, y = split_xy(df, spec)
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    pipe = make_pipeline(spec, make_model(family, seed))
    with threadpool_limits(limits=1):  # small tables: OpenMP pools cost more than they save
        scores = cross_validate(pipe, X, y, cv=cv, scoring=list(METRICS), n_jobs=1)
        pipe.fit(X, y)
    card = {
        "name": f"{spec.name}-{family}",
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "family": family,
        "params": {k: _jsonable(v) for k, v in pipe.named_steps["model"].get_params().items()},
        "seed": seed,
        "git_revision": git_revision(),
        "features": spec.features,
        "schema": schema_of(spec),
        "training_data": {
            "content_hash": snapshot["content_hash"],
            "n_rows": snapshot["n_rows"],
            "snapshot": "train_snapshot.parquet",
            "class_counts": {str(k): int(v) for k, v in y.value_counts().items()},
        },
        "metrics": {m: metric_with_ci(scores[f"test_{m}"]) for m in METRICS},
        "cv": {"n_splits": n_splits, "stratified": True, "shuffle_seed": seed},
        "libraries": library_versions(),
        "reference_profile": reference_profile(df, spec),
    }
    return save_artifact(pipe, card, out)


def metric_with_ci(fold_scores: np.ndarray, confidence: float = 0.95) -> dict[str, Any]:
    """Mean over folds with a Student-t confidence interval (folds treated as i.i.d.)."""
    from scipy import stats

    scores = np.asarray(fold_scores, dtype=np.float64)
    mean, k = float(scores.mean()), scores.size
    half = float(stats.t.ppf(0.5 + confidence / 2, k - 1) * scores.std(ddof=1) / np.sqrt(k))
    return {
        "mean": mean,
        # Every metric here lives in [0, 1]; the t interval does not know that.
        "ci_low": max(0.0, mean - half),
        "ci_high": min(1.0, mean + half),
        "confidence": confidence,
        "folds": scores.tolist(),
    }


def git_revision() -> str:
    """The repository's HEAD commit (with `+dirty` when files changed), or "unknown"."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (rev + ("+dirty" if dirty else "")) if rev else "unknown"


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
