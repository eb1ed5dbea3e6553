"""The exact two-sided p-value of the two-sample Kolmogorov-Smirnov test, by lattice paths.

A pair of samples of sizes m and n, under the null hypothesis, orders its pooled values like a
uniformly random monotone lattice path from (0, 0) to (m, n). The statistic D exceeds d exactly
when the path leaves the band |x/m - y/n| < d. We count the paths that stay inside (Hodges,
1958), scaled so each cell holds "paths to (i, j)" / C(i + j, j): the values then stay in [0, 1]
and no large binomial coefficient is ever formed.
"""

from __future__ import annotations

import math

import numpy as np


def ks_2samp_exact_pvalue(m: int, n: int, d: float) -> float:
    """P(D_{m,n} >= d) for the two-sided two-sample KS statistic D.

    Example: ks_2samp_exact_pvalue(3, 3, 1.0) == 0.1 (2 of the C(6, 3) = 20 orderings).
    """
    if m <= 0 or n <= 0:
        raise ValueError("both sample sizes must be positive")
    g = math.gcd(m, n)
    lcm = (m // g) * n
    # Work in integer units of 1/lcm so that "on the band edge" is decided exactly.
    h = round(d * lcm)
    if h <= 0:
        return 1.0
    if m < n:
        m, n = n, m
    mg, ng = m // g, n // g  # x/m - y/n = (ng*x - mg*y) * g / lcm
    prev = np.zeros(n + 1)
    # Column x = 0: the path runs up the y axis and stays inside while mg*y < h.
    prev[: min(n, (h - 1) // mg) + 1] = 1.0
    for x in range(1, m + 1):
        # Only the rows inside the band |ng*x - mg*y| < h can hold paths.
        lo = max(0, (ng * x - h) // mg + 1)
        hi = min(n, (ng * x + h - 1) // mg)
        col = np.zeros(n + 1)
        below = 0.0  # the scaled count at (x, lo - 1), outside the band
        for y in range(lo, hi + 1):
            below = (prev[y] * x + below * y) / (x + y)
            col[y] = below
        prev = col
    return float(min(1.0, max(0.0, 1.0 - prev[n])))
