"""Drift tests between a reference sample and a current sample of one column.

Each test returns a `DriftResult`: the statistic, the p-value where the test has one, the
threshold and whether drift was detected. Thresholds and binning follow Evidently's defaults:
p-value tests flag drift below 0.05; distance tests (PSI, Jensen-Shannon, normed Wasserstein)
flag drift at or above 0.1; PSI and Jensen-Shannon bin numeric data into 30 equal-width bins
over both samples and replace empty bins by 0.0001 so logarithms stay finite.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from phase1_foundations.stats.distributions import chi2_sf
from phase5_mlops.monitoring.ks_exact import ks_2samp_exact_pvalue

N_BINS = 30
EMPTY_BIN = 0.0001
P_VALUE_THRESHOLD = 0.05
DISTANCE_THRESHOLD = 0.1


@dataclass(frozen=True)
class DriftResult:
    """One test on one column: statistic, p-value (or None), threshold, verdict."""

    test: str
    statistic: float
    p_value: float | None
    threshold: float
    drifted: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ks_statistic(reference: np.ndarray, current: np.ndarray) -> float:
    """The two-sample KS statistic: the largest gap between the two empirical CDFs."""
    a, b = np.sort(_finite(reference)), np.sort(_finite(current))
    pooled = np.concatenate([a, b])
    gap = (
        np.searchsorted(a, pooled, side="right") / a.size
        - np.searchsorted(b, pooled, side="right") / b.size
    )
    return float(np.max(np.abs(gap)))


def ks_test(reference: Any, current: Any, threshold: float = P_VALUE_THRESHOLD) -> DriftResult:
    """Two-sided two-sample Kolmogorov-Smirnov test with the exact p-value."""
    a, b = _finite(reference), _finite(current)
    d = ks_statistic(a, b)
    p = ks_2samp_exact_pvalue(a.size, b.size, d)
    return DriftResult("ks", d, p, threshold, p < threshold)


def chi_square_test(
    reference: Any, current: Any, threshold: float = P_VALUE_THRESHOLD
) -> DriftResult:
    """Pearson's chi-square goodness of fit of current counts to reference proportions.

    Categories seen only in the current sample have an expected count of 0, so the statistic
    is infinite and drift is flagged: a new category is drift.
    """
    keys, ref_counts, cur_counts = _category_counts(reference, current)
    expected = ref_counts / ref_counts.sum() * cur_counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(
            expected > 0,
            (cur_counts - expected) ** 2 / expected,
            np.where(cur_counts > 0, np.inf, 0.0),
        )
    stat = float(terms.sum())
    dof = len(keys) - 1
    p = (0.0 if math.isinf(stat) else chi2_sf(stat, dof)) if dof > 0 else 1.0
    return DriftResult("chisquare", stat, p, threshold, p < threshold)


def z_test(reference: Any, current: Any, threshold: float = P_VALUE_THRESHOLD) -> DriftResult:
    """Two-proportion z-test for a binary column (the share of its first category)."""
    _, ref_counts, cur_counts = _category_counts(reference, current)
    n1, n2 = ref_counts.sum(), cur_counts.sum()
    p1, p2 = ref_counts[0] / n1, cur_counts[0] / n2
    pooled = (ref_counts[0] + cur_counts[0]) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = 0.0 if se == 0 else (p1 - p2) / se
    p = math.erfc(abs(z) / math.sqrt(2))  # two-sided normal tail
    return DriftResult("z", float(z), p, threshold, p < threshold)


def psi(
    reference: Any,
    current: Any,
    *,
    categorical: bool = False,
    threshold: float = DISTANCE_THRESHOLD,
    n_bins: int = N_BINS,
) -> DriftResult:
    """Population stability index: sum of (ref% - cur%) * ln(ref% / cur%) over bins."""
    ref, cur = binned_shares(reference, current, categorical=categorical, n_bins=n_bins)
    value = float(np.sum((ref - cur) * np.log(ref / cur)))
    return DriftResult("psi", value, None, threshold, value >= threshold)


def jensen_shannon(
    reference: Any,
    current: Any,
    *,
    categorical: bool = False,
    threshold: float = DISTANCE_THRESHOLD,
) -> DriftResult:
    """Jensen-Shannon distance (natural log) between the binned distributions."""
    ref, cur = binned_shares(reference, current, categorical=categorical)
    p, q = ref / ref.sum(), cur / cur.sum()
    mid = (p + q) / 2
    divergence = 0.5 * (_kl(p, mid) + _kl(q, mid))
    value = float(math.sqrt(max(divergence, 0.0)))
    return DriftResult("jensenshannon", value, None, threshold, value >= threshold)


def wasserstein_normed(
    reference: Any, current: Any, threshold: float = DISTANCE_THRESHOLD
) -> DriftResult:
    """First Wasserstein distance divided by the reference's standard deviation."""
    a, b = np.sort(_finite(reference)), np.sort(_finite(current))
    value = wasserstein_distance(a, b)
    scale = float(np.std(a))
    normed = value / scale if scale > 0 else (0.0 if value == 0 else math.inf)
    return DriftResult("wasserstein", float(normed), None, threshold, normed >= threshold)


def wasserstein_distance(a: np.ndarray, b: np.ndarray) -> float:
    """W1 between two empirical distributions: the area between their CDFs."""
    a, b = np.sort(_finite(a)), np.sort(_finite(b))
    pooled = np.sort(np.concatenate([a, b]))
    widths = np.diff(pooled)
    cdf_a = np.searchsorted(a, pooled[:-1], side="right") / a.size
    cdf_b = np.searchsorted(b, pooled[:-1], side="right") / b.size
    return float(np.sum(np.abs(cdf_a - cdf_b) * widths))


def binned_shares(
    reference: Any, current: Any, *, categorical: bool = False, n_bins: int = N_BINS
) -> tuple[np.ndarray, np.ndarray]:
    """Per-bin shares of both samples (equal-width bins over both, or categories)."""
    if categorical:
        _, ref_counts, cur_counts = _category_counts(reference, current)
    else:
        a, b = _finite(reference), _finite(current)
        edges = np.histogram_bin_edges(np.concatenate([a, b]), bins=n_bins)
        ref_counts = np.histogram(a, edges)[0].astype(float)
        cur_counts = np.histogram(b, edges)[0].astype(float)
    ref = ref_counts / ref_counts.sum()
    cur = cur_counts / cur_counts.sum()
    ref[ref == 0] = EMPTY_BIN
    cur[cur == 0] = EMPTY_BIN
    return ref, cur


def _finite(values: Any) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        raise ValueError("a drift test needs at least one non-missing value in each sample")
    return arr


def _category_counts(reference: Any, current: Any) -> tuple[list, np.ndarray, np.ndarray]:
    ref = [v for v in np.asarray(reference, dtype=object).ravel() if not _missing(v)]
    cur = [v for v in np.asarray(current, dtype=object).ravel() if not _missing(v)]
    if not ref or not cur:
        raise ValueError("a drift test needs at least one non-missing value in each sample")
    keys = sorted(set(ref) | set(cur), key=str)
    index = {k: i for i, k in enumerate(keys)}
    ref_counts = np.bincount([index[v] for v in ref], minlength=len(keys)).astype(float)
    cur_counts = np.bincount([index[v] for v in cur], minlength=len(keys)).astype(float)
    return keys, ref_counts, cur_counts


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    mask = p > 0
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))
