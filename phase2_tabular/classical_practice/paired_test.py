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


def t_sf(t: float, dof: int) -> float:
    """Survival function P(T > t) of Student's t with `dof` degrees of freedom."""
    x = dof / (dof + t * t)
    if x < 0.5:
        tail = 0.5 * betainc(dof / 2.0, 0.5, x)
    else:  # small |t|: the complementary form keeps full precision near t = 0
        tail = 0.5 - 0.5 * betainc(0.5, dof / 2.0, t * t / (dof + t * t))
    return tail if t >= 0 else 1.0 - tail


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


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_cf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_cf(b, a, 1.0 - x) / b


def _beta_cf(a: float, b: float, x: float) -> float:
    """Lentz's continued fraction for the incomplete beta function."""
    tiny, eps = 1e-300, 1e-16
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        for num in (
            m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)),
        ):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            break
    return h
