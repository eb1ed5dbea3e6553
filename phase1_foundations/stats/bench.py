"""Bench vs scipy.stats at three sample sizes: BCa bootstrap, permutation test, Welch t,
Mann-Whitney U (asymptotic); quality = max relative difference from scipy's answer."""

from __future__ import annotations

from functools import partial

import numpy as np

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .parity import mean_diff
from .resampling import bootstrap_ci, permutation_test
from .tests_classical import mann_whitney_u, welch_ttest


def run(quick: bool = False) -> list[BenchRow]:
    """Rows per case and sample size (n observations per sample)."""
    from scipy import stats

    ref = reference_version("scipy")
    rows = []
    for n in sizes(quick, full=(100, 1_000, 3_000), small=(30, 100, 300)):
        rng = np.random.default_rng(n)
        x, y = rng.exponential(1.0, n), rng.normal(0.9, 1.2, n)
        b = 2000 if quick else 5000

        def ours_boot(x=x, b=b):
            return bootstrap_ci((x,), np.mean, n_resamples=b, rng=np.random.default_rng(0))

        def ref_boot(x=x, b=b):
            return stats.bootstrap((x,), np.mean, n_resamples=b, rng=np.random.default_rng(0))

        o, r = ours_boot(), ref_boot().confidence_interval
        rows.append(
            compare(
                f"bootstrap BCa B={b}",
                n,
                ours_boot,
                ref_boot,
                reference=ref,
                repeats=3,
                quality={"max_rel_diff": _rel([o.low, o.high], [r.low, r.high])},
            )
        )

        def ours_perm(x=x, y=y):
            return permutation_test(
                (x, y), mean_diff, n_resamples=999, rng=np.random.default_rng(0)
            )

        def ref_perm(x=x, y=y):
            return stats.permutation_test(
                (x, y), mean_diff, n_resamples=999, rng=np.random.default_rng(0)
            )

        rows.append(
            compare(
                "permutation test R=999",
                n,
                ours_perm,
                ref_perm,
                reference=ref,
                repeats=3,
                quality={"max_rel_diff": _rel(ours_perm().pvalue, ref_perm().pvalue)},
            )
        )
        w, sw = welch_ttest(x, y), stats.ttest_ind(x, y, equal_var=False)
        rows.append(
            compare(
                "welch t-test",
                n,
                partial(welch_ttest, x, y),
                partial(stats.ttest_ind, x, y, equal_var=False),
                reference=ref,
                quality={"max_rel_diff": _rel(w.pvalue, sw.pvalue)},
            )
        )
        xr, yr = np.round(x, 1), np.round(y, 1)  # ties exercise the tie correction
        m, sm = mann_whitney_u(xr, yr), stats.mannwhitneyu(xr, yr)
        rows.append(
            compare(
                "mann-whitney U (ties)",
                n,
                partial(mann_whitney_u, xr, yr),
                partial(stats.mannwhitneyu, xr, yr),
                reference=ref,
                quality={"max_rel_diff": _rel(m.pvalue, sm.pvalue)},
            )
        )
    return rows


def _rel(ours, ref) -> float:
    ours, ref = np.atleast_1d(ours), np.atleast_1d(ref)
    return float(np.max(np.abs(ours - ref) / np.maximum(np.abs(ref), 1e-300)))
