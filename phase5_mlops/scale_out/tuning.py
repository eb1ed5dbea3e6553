"""Hyper-parameter search of the phase 2 model, serially and as Ray tasks, with equal results.

A trial is one configuration (model family + parameters) scored by stratified k-fold
cross-validation of the phase 2 pipeline. Every random choice takes the search's one seed
(fold shuffling, the model's `random_state`, the random configurations), and each trial runs
with one BLAS thread, so a trial's scores depend only on its configuration and the seed:
the Ray run must equal the serial run score for score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from phase2_tabular.common.pipeline import make_pipeline
from phase2_tabular.common.tables import load_table, split_xy
from phase2_tabular.tabular_api.train import make_model

GRID: list[dict[str, Any]] = [
    {"family": "logistic_regression", "C": c} for c in (0.01, 0.1, 1.0, 10.0)
] + [{"family": "random_forest", "n_estimators": 30, "max_depth": d} for d in (2, 4, None)]
SPACE: dict[str, dict[str, tuple[float, float]]] = {
    "logistic_regression": {"C": (1e-3, 1e2)},
    "hist_gradient_boosting": {"learning_rate": (0.02, 0.3)},
}


@dataclass(frozen=True)
class Trial:
    """One configuration's cross-validated scores."""

    config: dict[str, Any]
    fold_scores: tuple[float, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.fold_scores))


def random_configs(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` configurations drawn log-uniformly from `SPACE` (family chosen uniformly)."""
    rng = np.random.default_rng(seed)
    families = sorted(SPACE)
    out = []
    for _ in range(n):
        family = families[int(rng.integers(len(families)))]
        params = {
            name: float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
            for name, (lo, hi) in SPACE[family].items()
        }
        if family == "hist_gradient_boosting":
            params["max_iter"] = 30  # few rounds: the search stays quick
        out.append({"family": family, **params})
    return out


def penguins_xy() -> tuple[pd.DataFrame, pd.Series]:
    """The phase 2 training table's features and target."""
    df, spec = load_table("penguins")
    return split_xy(df, spec)


def evaluate(
    config: dict[str, Any], X: pd.DataFrame, y: pd.Series, *, seed: int = 0, n_splits: int = 3
) -> Trial:
    """Balanced accuracy of the configured phase 2 pipeline in each stratified fold."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from threadpoolctl import threadpool_limits

    from phase2_tabular.common.tables import TABLES

    params = {k: v for k, v in config.items() if k != "family"}
    model = make_model(config["family"], seed).set_params(**params)
    pipe = make_pipeline(TABLES["penguins"], model)
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    with threadpool_limits(limits=1):
        scores = cross_val_score(pipe, X, y, cv=cv, scoring="balanced_accuracy", n_jobs=1)
    return Trial(dict(config), tuple(float(s) for s in scores))


def tune_serial(configs: list[dict[str, Any]], *, seed: int = 0) -> list[Trial]:
    """Every configuration's trial, one after another in this process."""
    X, y = penguins_xy()
    return [evaluate(c, X, y, seed=seed) for c in configs]


def tune_ray(configs: list[dict[str, Any]], *, seed: int = 0) -> list[Trial]:
    """Every configuration's trial as one Ray task each (needs `ray.init` first), in order."""
    import ray

    X, y = penguins_xy()
    data = ray.put((X, y))  # one copy in the object store, shared by every task

    @ray.remote(num_cpus=1)
    def trial(config: dict[str, Any], xy: tuple[pd.DataFrame, pd.Series]) -> Trial:
        return evaluate(config, *xy, seed=seed)

    return ray.get([trial.remote(c, data) for c in configs])


def best(trials: list[Trial]) -> Trial:
    """The trial with the highest mean score (the first of equals, so the choice is stable)."""
    if not trials:
        raise ValueError("no trials to choose from")
    return max(trials, key=lambda t: t.mean)
