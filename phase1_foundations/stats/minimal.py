"""Statistics by resampling and by formula, the idea only: a bootstrap interval, Welch's
t-test and a permutation test of two means.

NumPy plus the t distribution's tail (`distributions.t_sf`); one statistic (the mean), two
samples, no input checks. The full versions (`resampling.py`, `tests_classical.py`) add BCa,
paired and exact variants and the edge cases; the tests check both against `scipy.stats`,
drawing the same random numbers scipy draws.
"""

from __future__ import annotations

import math

import numpy as np

from phase1_foundations.stats.distributions import t_sf


def bootstrap_ci(
    x: np.ndarray, n_resamples: int, confidence: float, rng: np.random.Generator
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of x: (low, high).

    Draw n_resamples samples of len(x) rows with replacement, take each one's mean, and
    return the (1 - confidence)/2 and (1 + confidence)/2 quantiles of those means.
    Hint: one `rng.integers(0, n, (n_resamples, n))` call draws every resample, as scipy does.
    """
    n = len(x)
    index = rng.integers(0, n, (n_resamples, n))  # (n_resamples, n) rows of each resample
    means = x[index].mean(axis=1)  # (n_resamples,)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])  # linear interpolation (type 7)
    return float(low), float(high)


def welch_t_test(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Welch's two-sample t-test (unequal variances): (t, degrees of freedom, two-sided p).

    t = (mean a - mean b) / sqrt(va/na + vb/nb) with sample variances (ddof=1); the dof is
    the Welch-Satterthwaite formula.
    Hint: dof = (va/na + vb/nb)^2 / ((va/na)^2/(na-1) + (vb/nb)^2/(nb-1)); p = 2 t_sf(|t|).
    """
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    t = float((a.mean() - b.mean()) / math.sqrt(va + vb))
    dof = float((va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)))
    return t, dof, 2.0 * t_sf(abs(t), dof)


def permutation_test(
    a: np.ndarray, b: np.ndarray, n_resamples: int, rng: np.random.Generator
) -> tuple[float, float]:
    """Two-sided permutation test of mean(a) - mean(b): (observed difference, p-value).

    Pool the rows, shuffle them n_resamples times, split each shuffle into groups of len(a)
    and len(b): the differences form the null distribution. A one-sided p counts the null
    values at least as extreme, plus one for the observed (the unshuffled split), over
    n_resamples + 1; the two-sided p is twice the smaller one-sided p, at most 1.
    Hint: draw `rng.permutation(len(pooled))` once per resample, in order, as scipy does.
    """
    pooled = np.concatenate([a, b])  # (na + nb,)
    index = np.array([rng.permutation(len(pooled)) for _ in range(n_resamples)])  # (R, na+nb)
    shuffled = pooled[index]  # (R, na + nb)
    null = shuffled[:, : len(a)].mean(axis=1) - shuffled[:, len(a) :].mean(axis=1)  # (R,)
    observed = float(a.mean() - b.mean())
    p_greater = (np.count_nonzero(null >= observed) + 1) / (n_resamples + 1)
    p_less = (np.count_nonzero(null <= observed) + 1) / (n_resamples + 1)
    return observed, min(1.0, 2 * min(p_greater, p_less))
