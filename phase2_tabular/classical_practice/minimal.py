"""Model-evaluation practice, the idea only: k-fold splits, permutation importance, the paired
t-test over shared folds, and a reliability curve.

NumPy plus the t distribution of phase 1's `stats`; arrays only, no DataFrames, no input
checks. The full versions (`permutation.py`, `paired_test.py`, `calibration.py`) add those;
the tests check both against scikit-learn and SciPy.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np

from phase1_foundations.stats.distributions import t_sf


def kfold_splits(n: int, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train indices, test indices) of k contiguous folds over rows 0..n-1, unshuffled.

    The first n % k folds hold one row more than the others.
    Example: n=5, k=2 -> ([3, 4], [0, 1, 2]) then ([0, 1, 2], [3, 4]).
    Hint: fold sizes are n // k, plus one for the first n % k folds; `np.cumsum` gives edges.
    """
    sizes = np.full(k, n // k) + (np.arange(k) < n % k)  # (k,)
    edges = np.concatenate([[0], np.cumsum(sizes)])  # (k + 1,)
    rows = np.arange(n)
    splits = []
    for start, stop in itertools.pairwise(edges):  # (0, e1), (e1, e2), ...
        test = rows[start:stop]
        splits.append((np.concatenate([rows[:start], rows[stop:]]), test))
    return splits


def permutation_importance(
    score: Callable[[np.ndarray, np.ndarray], float],
    X: np.ndarray,
    y: np.ndarray,
    n_repeats: int = 5,
    random_state: int = 0,
) -> np.ndarray:
    """How much `score(X, y)` drops when one column is shuffled: (n_features, n_repeats).

    scikit-learn's random stream: one seed drawn from RandomState(random_state); each column
    starts a RandomState(seed) and shuffles one index array in place, repeat after repeat.
    Hint: copy X, set column j to X_copy[order, j] after each `rng.shuffle(order)`.
    """
    seed = np.random.RandomState(random_state).randint(np.iinfo(np.int32).max + 1)
    baseline = score(X, y)
    drops = np.empty((X.shape[1], n_repeats))  # (n_features, n_repeats)
    for j in range(X.shape[1]):
        rng = np.random.RandomState(seed)
        shuffled, order = X.copy(), np.arange(len(X))
        for r in range(n_repeats):
            rng.shuffle(order)  # the shuffles compound, as scikit-learn's do
            shuffled[:, j] = shuffled[order, j]
            drops[j, r] = baseline - score(shuffled, y)
    return drops


def paired_t_test(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Paired t-test of scores a vs b on the same folds: (t statistic, two-sided p-value).

    t = mean(d) / (std(d, ddof=1) / sqrt(k)) for d = a - b over k folds, k - 1 dof.
    Hint: p = 2 * P(T > |t|), and `t_sf(x, dof)` is P(T > x).
    """
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)  # (k,)
    k = len(d)
    t = float(d.mean() / (d.std(ddof=1) / math.sqrt(k)))
    return t, 2.0 * t_sf(abs(t), k - 1)


def reliability_curve(
    y_true: np.ndarray, prob: np.ndarray, n_bins: int = 5
) -> tuple[np.ndarray, np.ndarray]:
    """Per non-empty bin of predicted probability: (fraction of positives, mean probability).

    Bins split [0, 1] into n_bins equal widths; a probability on an inner edge goes to the
    lower bin. A calibrated model has the two outputs equal.
    Hint: `np.searchsorted(inner_edges, prob)` gives each row's bin; `np.bincount` the rest.
    """
    inner = np.linspace(0.0, 1.0, n_bins + 1)[1:-1]  # (n_bins - 1,)
    bins = np.searchsorted(inner, prob)  # (n,) bin of each row
    total = np.bincount(bins, minlength=n_bins)  # (n_bins,)
    positives = np.bincount(bins, weights=y_true, minlength=n_bins)
    prob_sum = np.bincount(bins, weights=prob, minlength=n_bins)
    seen = total > 0
    return positives[seen] / total[seen], prob_sum[seen] / total[seen]
