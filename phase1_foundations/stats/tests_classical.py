"""Welch and paired t-tests, chi-square test of independence, Mann-Whitney U.

Each returns a `TestResult(statistic, pvalue, df)` with scipy's conventions: the same
statistic (Mann-Whitney reports U of the first sample), the same alternatives, Yates'
correction for 2x2 tables, the exact or tie- and continuity-corrected normal null for U.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .distributions import chi2_sf, norm_sf, t_sf

ALTERNATIVES = ("two-sided", "less", "greater")


@dataclass(frozen=True)
class TestResult:
    """A test statistic, its p-value and (where defined) degrees of freedom."""

    statistic: float
    pvalue: float
    df: float | None = None


def welch_ttest(a: np.ndarray, b: np.ndarray, alternative: str = "two-sided") -> TestResult:
    """Two-sample t-test without assuming equal variances (scipy `ttest_ind(equal_var=False)`)."""
    a, b = _sample(a, "a", 2), _sample(b, "b", 2)
    vn1, vn2 = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (vn1 + vn2) ** 2 / (vn1**2 / (a.size - 1) + vn2**2 / (b.size - 1))
        df = 1.0 if np.isnan(df) else float(df)  # both variances 0: df is irrelevant
        t = float(np.divide(a.mean() - b.mean(), np.sqrt(vn1 + vn2)))
    return TestResult(t, _t_pvalue(t, df, alternative), df)


def paired_ttest(a: np.ndarray, b: np.ndarray, alternative: str = "two-sided") -> TestResult:
    """t-test on the paired differences a - b (scipy `ttest_rel`)."""
    a, b = _sample(a, "a", 2), _sample(b, "b", 2)
    if a.shape != b.shape:
        raise ValueError(f"paired samples must have equal length, got {a.size} and {b.size}")
    d = a - b
    df = d.size - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(np.divide(d.mean(), np.sqrt(d.var(ddof=1) / d.size)))
    return TestResult(t, _t_pvalue(t, float(df), alternative), float(df))


def chi2_independence(observed: np.ndarray, correction: bool = True) -> TestResult:
    """Pearson chi-square test of independence of a contingency table (`chi2_contingency`)."""
    obs = np.asarray(observed, dtype=np.float64)
    if obs.ndim != 2 or obs.size == 0:
        raise ValueError(f"observed must be a non-empty 2-D table, got shape {obs.shape}")
    if np.any(obs < 0) or not np.all(np.isfinite(obs)):
        raise ValueError("observed counts must be finite and non-negative")
    expected = obs.sum(axis=1, keepdims=True) * obs.sum(axis=0, keepdims=True) / obs.sum()
    if np.any(expected == 0):
        raise ValueError("a row or column of the table sums to zero (expected count 0)")
    dof = obs.size - sum(obs.shape) + obs.ndim - 1
    if dof == 0:
        return TestResult(0.0, 1.0, 0.0)
    if dof == 1 and correction:
        diff = expected - obs  # Yates: move each count up to 0.5 towards its expectation
        obs = obs + np.minimum(0.5, np.abs(diff)) * np.sign(diff)
    stat = float(((obs - expected) ** 2 / expected).sum())
    return TestResult(stat, chi2_sf(stat, dof), float(dof))


def mann_whitney_u(
    x: np.ndarray,
    y: np.ndarray,
    alternative: str = "two-sided",
    method: str = "auto",
    use_continuity: bool = True,
) -> TestResult:
    """Mann-Whitney U of `x` vs `y`; method "exact", "asymptotic" or "auto" (scipy's rule)."""
    x, y = _sample(x, "x", 1), _sample(y, "y", 1)
    _check_alternative(alternative)
    if method not in ("auto", "exact", "asymptotic"):
        raise ValueError(f"method must be auto, exact or asymptotic, got {method!r}")
    n1, n2 = x.size, y.size
    ranks, tie_counts = rank_average(np.concatenate([x, y]))
    u1 = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2)
    u2 = n1 * n2 - u1
    u, factor = {"greater": (u1, 1), "less": (u2, 1), "two-sided": (max(u1, u2), 2)}[alternative]
    if method == "auto":  # scipy: exact only for small samples without ties
        small = not (n1 > 8 and n2 > 8)
        method = "exact" if small and not np.any(tie_counts > 1) else "asymptotic"
    if method == "exact":
        p = exact_u_sf(int(u), n1, n2)  # scipy truncates a tied (non-integer) U the same way
    else:
        n = n1 + n2
        tie_term = float((tie_counts**3 - tie_counts).sum())
        s = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
        num = u - n1 * n2 / 2 - (0.5 if use_continuity else 0.0)
        z = num / s if s > 0 else math.copysign(math.inf, num) if num else math.nan
        p = norm_sf(z)
    return TestResult(u1, float(np.clip(p * factor, 0.0, 1.0)))


def rank_average(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks 1..n with ties sharing their average rank, and the size of each tie group.

    >>> rank_average(np.array([3.0, 1.0, 3.0]))[0].tolist()
    [2.5, 1.0, 2.5]
    """
    order = np.argsort(values, kind="mergesort")
    sorted_v = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_v[1:] != sorted_v[:-1]])
    counts = np.diff(np.r_[starts, values.size])
    avg = starts + (counts + 1) / 2.0  # 1-based mean of positions start+1 .. start+count
    ranks = np.empty(values.size)
    ranks[order] = np.repeat(avg, counts)
    return ranks, counts.astype(np.float64)


def exact_u_sf(u: int, n1: int, n2: int) -> float:
    """P(U >= u) under H0 for sample sizes n1, n2 (exact counts, no ties)."""
    counts = _u_counts(n1, n2)
    if u <= 0:
        return 1.0
    if u > n1 * n2:
        return 0.0
    return float(Fraction(sum(counts[u:]), sum(counts)))


def _u_counts(n1: int, n2: int) -> list[int]:
    """Number of arrangements giving U = 0..n1*n2: coefficients of the Gaussian binomial
    [n1+n2 choose n1]_q = prod_{i=1..n1} (1 - q^(n2+i)) / (1 - q^i)."""
    n1, n2 = min(n1, n2), max(n1, n2)
    deg = n1 * n2
    c = [1] + [0] * deg
    for i in range(1, n1 + 1):
        k = n2 + i
        for j in range(deg, k - 1, -1):  # multiply by (1 - q^k)
            c[j] -= c[j - k]
        for j in range(i, deg + 1):  # divide by (1 - q^i): exact, coefficients stay integer
            c[j] += c[j - i]
    return c


def _t_pvalue(t: float, df: float, alternative: str) -> float:
    _check_alternative(alternative)
    if math.isnan(t):
        return math.nan
    if alternative == "less":
        return 1.0 - t_sf(t, df) if t > 0 else t_sf(-t, df)
    if alternative == "greater":
        return t_sf(t, df)
    return 2.0 * t_sf(abs(t), df)


def _check_alternative(alternative: str) -> None:
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")


def _sample(v: np.ndarray, name: str, min_size: int) -> np.ndarray:
    arr = np.asarray(v, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} needs at least {min_size} observation(s), got {arr.size}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    return arr
