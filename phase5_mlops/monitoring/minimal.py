"""Drift tests, the idea only: the KS statistic and its exact p-value, PSI and Wasserstein.

Each compares a reference sample (training data) with a current one (live traffic) and
says how far apart they are. Plain NumPy and Python integers: the exact KS p-value counts
lattice paths with exact integers instead of the full version's scaled floats, so it is
only for small samples. The full versions (`stattests.py`, `ks_exact.py`) handle NaN, empty
bins, categories and large samples; the tests check both against scipy.
"""

from __future__ import annotations

import math

import numpy as np


def ks_statistic(reference: np.ndarray, current: np.ndarray) -> float:
    """The two-sample Kolmogorov-Smirnov statistic: the largest gap between the two ECDFs.

    The gap only changes at data points, so evaluating both ECDFs at every pooled value finds
    the maximum. ECDF(x) = share of the sample <= x.
    Hint: `np.searchsorted(np.sort(a), pooled, side="right") / len(a)` is a's ECDF at pooled.
    """
    a, b = np.sort(reference), np.sort(current)
    pooled = np.concatenate([a, b])  # (m + n,)
    ecdf_a = np.searchsorted(a, pooled, side="right") / len(a)  # (m + n,)
    ecdf_b = np.searchsorted(b, pooled, side="right") / len(b)
    return float(np.max(np.abs(ecdf_a - ecdf_b)))


def ks_exact_pvalue(m: int, n: int, d: float) -> float:
    """P(D >= d) under the null, for samples of sizes m and n (two-sided, exact).

    The sorted pooled sample is a random monotone path from (0, 0) to (m, n); D < d exactly
    when the path stays where |i/m - j/n| < d. Count those paths, divide by all C(m+n, m).
    Hint: paths(i, j) = paths(i-1, j) + paths(i, j-1) inside the band, 0 outside; compare
    |i*n - j*m| with round(d*m*n) in integers, so the band edge is decided exactly.
    """
    h = round(d * m * n)  # D is a multiple of 1/lcm(m, n), so d*m*n is (nearly) an integer
    paths = [[0] * (n + 1) for _ in range(m + 1)]  # (m + 1, n + 1) exact path counts
    for i in range(m + 1):
        for j in range(n + 1):
            if abs(i * n - j * m) >= h:
                continue  # outside the band: no path may pass here
            if i == 0 and j == 0:
                paths[i][j] = 1
            else:
                paths[i][j] = (paths[i - 1][j] if i else 0) + (paths[i][j - 1] if j else 0)
    total = math.comb(m + n, m)
    return (total - paths[m][n]) / total  # exact integers, one rounding


def psi(reference: np.ndarray, current: np.ndarray, n_bins: int = 10) -> float:
    """Population stability index over n_bins equal-width bins spanning both samples.

    PSI = sum over bins of (r - c) * ln(r / c), with r and c the shares of each sample in
    the bin. Assumes no bin is empty in either sample (the full version patches those).
    Hint: `np.histogram_bin_edges(np.concatenate([reference, current]), bins=n_bins)`.
    """
    edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins=n_bins)
    r = np.histogram(reference, edges)[0] / len(reference)  # (n_bins,) shares
    c = np.histogram(current, edges)[0] / len(current)
    return float(np.sum((r - c) * np.log(r / c)))


def wasserstein(reference: np.ndarray, current: np.ndarray) -> float:
    """First Wasserstein distance: the area between the two ECDFs.

    Between consecutive pooled values both ECDFs are flat, so the area is a sum of
    |ECDF_a - ECDF_b| times the width of each gap.
    Hint: sort the pooled values; evaluate both ECDFs at all but the last; `np.diff` widths.
    """
    a, b = np.sort(reference), np.sort(current)
    pooled = np.sort(np.concatenate([a, b]))  # (m + n,)
    widths = np.diff(pooled)  # (m + n - 1,)
    ecdf_a = np.searchsorted(a, pooled[:-1], side="right") / len(a)  # (m + n - 1,)
    ecdf_b = np.searchsorted(b, pooled[:-1], side="right") / len(b)
    return float(np.sum(np.abs(ecdf_a - ecdf_b) * widths))
