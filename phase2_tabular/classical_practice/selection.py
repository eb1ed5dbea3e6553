"""Model selection: stratified k-fold CV with a hyper-parameter search over model families.

Every candidate is the whole `preprocess -> model` pipeline, so the search refits the
imputer, scaler and encoder inside each fold. All families share one `StratifiedKFold`
(same seed), which makes their per-fold scores paired and comparable with a paired test.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from threadpoolctl import threadpool_limits

from phase2_tabular.common.pipeline import make_pipeline
from phase2_tabular.common.tables import TableSpec, split_xy

log = logging.getLogger("roadmap.phase2.selection")


def model_families(seed: int = 0, *, quick: bool = False) -> dict[str, tuple[Any, dict[str, list]]]:
    """Three families and their search grids (smaller grids when `quick`)."""
    trees = 30 if quick else 150
    return {
        "logistic_regression": (
            LogisticRegression(max_iter=2000),
            {"model__C": [0.1, 1.0] if quick else [0.01, 0.1, 1.0, 10.0]},
        ),
        "random_forest": (
            RandomForestClassifier(n_estimators=trees, random_state=seed, n_jobs=1),
            {"model__max_depth": [4, None] if quick else [3, 6, None]},
        ),
        "hist_gradient_boosting": (
            HistGradientBoostingClassifier(random_state=seed, max_iter=50 if quick else 150),
            {"model__learning_rate": [0.1] if quick else [0.03, 0.1, 0.3]},
        ),
    }


@dataclass
class SelectionResult:
    """The CV table (one row per family), the per-fold scores and the chosen family."""

    table: pd.DataFrame
    fold_scores: dict[str, np.ndarray]
    best_params: dict[str, dict[str, Any]]
    best_family: str
    scoring: str
    n_splits: int
    searches: dict[str, GridSearchCV] = field(default_factory=dict, repr=False)

    def ranked(self) -> list[str]:
        """Families from best to worst mean CV score."""
        return list(self.table.sort_values("mean", ascending=False)["family"])


def select_model(
    df: pd.DataFrame,
    spec: TableSpec,
    *,
    n_splits: int = 5,
    seed: int = 0,
    scoring: str = "balanced_accuracy",
    quick: bool = False,
) -> SelectionResult:
    """Grid-search each family with one shared stratified k-fold; log and return the table."""
    X, y = split_xy(df, spec)
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    rows, folds, params, searches = [], {}, {}, {}
    for family, (model, grid) in model_families(seed, quick=quick).items():
        search = GridSearchCV(make_pipeline(spec, model), grid, cv=cv, scoring=scoring, n_jobs=1)
        # One OpenMP thread: on small tables HistGradientBoosting's thread pool costs more
        # than it saves, and on a shared machine it can stall for minutes.
        with threadpool_limits(limits=1):
            search.fit(X, y)
        best = search.best_index_
        res = search.cv_results_
        scores = np.array([res[f"split{i}_test_score"][best] for i in range(n_splits)])
        folds[family] = scores
        params[family] = {k.removeprefix("model__"): v for k, v in search.best_params_.items()}
        searches[family] = search
        rows.append(
            {
                "family": family,
                "mean": float(scores.mean()),
                "std": float(scores.std(ddof=1)),
                "best_params": params[family],
                "n_candidates": len(res["params"]),
                "fit_s": float(res["mean_fit_time"][best]),
            }
        )
    table = pd.DataFrame(rows).sort_values("mean", ascending=False, ignore_index=True)
    best_family = str(table.loc[0, "family"])
    log.info("CV table (%s, %d folds):\n%s", scoring, n_splits, table.to_string(index=False))
    log.info("chosen family: %s %s", best_family, params[best_family])
    return SelectionResult(table, folds, params, best_family, scoring, n_splits, searches)
