"""Permutation importance from scratch (NumPy only).

The importance of feature j is the drop in score when column j is shuffled, averaged over
`n_repeats` shuffles. The random stream reproduces scikit-learn's exactly, so both give
equal numbers on the same seed: one seed is drawn from `RandomState(random_state)`, and
every column restarts a `RandomState(seed)` whose index array is shuffled in place
repeat after repeat (the shuffles compound, as in scikit-learn).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Scorer = Callable[[Any, Any, Any], float]


@dataclass
class PermutationResult:
    """Per-feature importances: `importances` has shape (n_features, n_repeats)."""

    importances: np.ndarray
    baseline: float

    @property
    def importances_mean(self) -> np.ndarray:
        return self.importances.mean(axis=1)

    @property
    def importances_std(self) -> np.ndarray:
        return self.importances.std(axis=1)


def permutation_importance(
    estimator: Any, X: Any, y: Any, scorer: Scorer, *, n_repeats: int = 5, random_state: int = 0
) -> PermutationResult:
    """Score drop per feature when that feature is shuffled; X is an array or DataFrame."""
    if n_repeats < 1:
        raise ValueError(f"n_repeats must be >= 1, got {n_repeats}")
    n_rows = X.shape[0]
    if n_rows == 0:
        raise ValueError("X is empty")
    seed = np.random.RandomState(random_state).randint(np.iinfo(np.int32).max + 1)
    baseline = float(scorer(estimator, X, y))
    drops = np.empty((X.shape[1], n_repeats))
    for col in range(X.shape[1]):
        rng = np.random.RandomState(seed)
        shuffled = X.copy()
        order = np.arange(n_rows)
        for rep in range(n_repeats):
            rng.shuffle(order)
            _shuffle_column(shuffled, order, col)
            drops[col, rep] = baseline - float(scorer(estimator, shuffled, y))
    return PermutationResult(drops, baseline)


def _shuffle_column(X: Any, order: np.ndarray, col: int) -> None:
    """Reorder column `col` of X in place (DataFrame or ndarray)."""
    if hasattr(X, "iloc"):
        name = X.columns[col]
        X[name] = X[name].to_numpy()[order]
    else:
        X[:, col] = X[order, col]
