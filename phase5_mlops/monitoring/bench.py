"""Benchmark: our drift tests vs scipy's at three sample sizes."""

from __future__ import annotations

from functools import partial

import numpy as np
from scipy import stats

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version
from phase5_mlops.monitoring import stattests as T


def run(quick: bool = False) -> list[BenchRow]:
    """KS (exact p-value) and Wasserstein, ours vs scipy, on shifted normal samples."""
    ref = reference_version("scipy")
    rows = []
    rng = np.random.default_rng(0)
    for n in sizes(quick, full=(200, 1000, 3000), small=(100, 300, 1000)):
        a, b = rng.normal(size=n), rng.normal(0.05, size=n)
        ours = T.ks_test(a, b)
        theirs = stats.ks_2samp(a, b, method="exact")
        rows.append(
            compare(
                "ks exact p-value",
                n,
                partial(T.ks_test, a, b),
                partial(stats.ks_2samp, a, b, method="exact"),
                reference=ref,
                repeats=3,
                quality={"p_abs_diff": abs(ours.p_value - theirs.pvalue)},
            )
        )
    for n in sizes(quick, full=(10_000, 100_000, 1_000_000)):
        a, b = rng.normal(size=n), rng.normal(0.05, size=n)
        diff = abs(T.wasserstein_distance(a, b) - stats.wasserstein_distance(a, b))
        rows.append(
            compare(
                "wasserstein distance",
                n,
                partial(T.wasserstein_distance, a, b),
                partial(stats.wasserstein_distance, a, b),
                reference=ref,
                repeats=3,
                quality={"abs_diff": diff},
            )
        )
    return rows
