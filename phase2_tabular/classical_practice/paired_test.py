"""A paired comparison of two models over the same CV folds, from scratch (stdlib + NumPy).

`paired_t_test(a, b)` is the paired Student t-test with a confidence interval for the mean
difference. With `test_fraction` set it applies the Nadeau-Bengio correction for the
overlap of CV training sets (variance times 1/k + n_test/n_train), which keeps the test
from being over-confident on folds that share most of their training rows.
The t distribution's CDF comes from the regularised incomplete beta function
(Numerical Recipes' continued fraction); its quantile from bisection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from phase1_foundations.stats.distributions import t_sf


@dataclass(frozen=True)
class PairedTest:
    """Mean difference a - b, its t statistic, two-sided p-value and confidence interval."""

    mean_diff: float
    t_stat: float
    p_value: float
    ci_low: float
    ci_high: float
    dof: int


def paired_t_test(
    a: np.ndarray, b: np.ndarray, *, confidence: float = 0.95, test_fraction: float | None = None
) -> PairedTest:
    """Paired t-test of fold scores `a` vs `b` (same folds), optionally Nadeau-Bengio corrected."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1 or a.size < 2:
        raise ValueError(
            f"need two equal 1-d score arrays of length >= 2, got {a.shape}, {b.shape}"
        )
    d = a - b
    k = d.size
    var = d.var(ddof=1)
    scale = 1.0 / k if test_fraction is None else 1.0 / k + test_fraction / (1 - test_fraction)
    se = math.sqrt(var * scale)
    dof = k - 1
    mean = float(d.mean())
    if se == 0.0:
        t = math.copysign(math.inf, mean) if mean else math.nan
        p = 0.0 if mean else math.nan
    else:
        t = mean / se
        p = 2.0 * t_sf(abs(t), dof)
    half = t_ppf(0.5 + confidence / 2.0, dof) * se
    return PairedTest(mean, t, p, mean - half, mean + half, dof)


def t_ppf(q: float, dof: int) -> float:
    """Quantile of Student's t (bisection on the CDF to ~1e-13)."""
    if not 0.0 < q < 1.0:
        raise ValueError(f"q must be in (0, 1), got {q}")
    lo, hi = -1e3, 1e3
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if 1.0 - t_sf(mid, dof) < q:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13:
            break
    return 0.5 * (lo + hi)
