"""Parity checks against scipy.stats on seeded data, plus the bias-variance identity."""

from __future__ import annotations

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .bias_variance import decompose
from .resampling import bootstrap_ci, permutation_test
from .tests_classical import (
    chi2_independence,
    mann_whitney_u,
    paired_ttest,
    welch_ttest,
)

# Resampling parity is exact up to rounding: same resamples, same quantile arithmetic.
RESAMPLING_RTOL = 1e-12
# p-values come from our continued fractions vs scipy's Cephes/Boost: agree to ~1e-13.
PVALUE_RTOL = 1e-10
STAT_RTOL = 1e-12


def mean_diff(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Difference of means: the permutation-test statistic used throughout."""
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def checks() -> list[ParityResult]:
    """Every parity check of this milestone (about a second)."""
    from scipy import stats

    ref = reference_version("scipy")
    rng = np.random.default_rng(0)
    x, y = rng.exponential(1.0, 40), rng.normal(0.8, 1.3, 35)
    out = []
    for method in ("percentile", "bca"):
        ours = bootstrap_ci(
            (x,), np.mean, n_resamples=2000, method=method, rng=np.random.default_rng(7)
        )
        sp = stats.bootstrap(
            (x,), np.mean, n_resamples=2000, method=method, rng=np.random.default_rng(7)
        )
        out.append(
            compare(
                f"bootstrap {method} CI (mean)",
                [ours.low, ours.high],
                [sp.confidence_interval.low, sp.confidence_interval.high],
                reference=ref,
                rtol=RESAMPLING_RTOL,
            )
        )
        ours2 = bootstrap_ci(
            (x, y), mean_diff, n_resamples=2000, method=method, rng=np.random.default_rng(8)
        )
        sp2 = stats.bootstrap(
            (x, y), mean_diff, n_resamples=2000, method=method, rng=np.random.default_rng(8)
        )
        out.append(
            compare(
                f"bootstrap {method} CI (2-sample diff)",
                [ours2.low, ours2.high],
                [sp2.confidence_interval.low, sp2.confidence_interval.high],
                reference=ref,
                rtol=RESAMPLING_RTOL,
            )
        )
    w, sw = welch_ttest(x, y), stats.ttest_ind(x, y, equal_var=False)
    out.append(
        compare(
            "Welch t statistic, df",
            [w.statistic, w.df],
            [sw.statistic, sw.df],
            reference=ref,
            rtol=STAT_RTOL,
        )
    )
    out.append(compare("Welch t p-value", w.pvalue, sw.pvalue, reference=ref, rtol=PVALUE_RTOL))
    x2 = x[:35] + rng.normal(0.1, 0.3, 35)
    p, sp_ = paired_ttest(x[:35], x2), stats.ttest_rel(x[:35], x2)
    out.append(
        compare("paired t statistic", p.statistic, sp_.statistic, reference=ref, rtol=STAT_RTOL)
    )
    out.append(compare("paired t p-value", p.pvalue, sp_.pvalue, reference=ref, rtol=PVALUE_RTOL))
    for table in ([[12, 5], [7, 14]], [[10, 20, 30], [6, 9, 17], [20, 5, 8]]):
        c, sc = chi2_independence(np.array(table)), stats.chi2_contingency(table)
        shape = f"{len(table)}x{len(table[0])}"
        out.append(
            compare(
                f"chi-square {shape} statistic, p-value",
                [c.statistic, c.pvalue],
                [sc.statistic, sc.pvalue],
                reference=ref,
                rtol=PVALUE_RTOL,
            )
        )
    ties_x, ties_y = np.round(x * 2) / 2, np.round(y * 2) / 2
    for name, a, b, method in (
        ("exact", x[:7], y[:6], "exact"),
        ("asymptotic, ties", ties_x, ties_y, "asymptotic"),
    ):
        m, sm = mann_whitney_u(a, b, method=method), stats.mannwhitneyu(a, b, method=method)
        out.append(
            compare(
                f"Mann-Whitney U {name}",
                [m.statistic, m.pvalue],
                [sm.statistic, sm.pvalue],
                reference=ref,
                rtol=PVALUE_RTOL,
            )
        )
    for n_res, label in ((3000, "random"), (10**6, "exact")):
        a, b = (x[:8], y[:7]) if label == "exact" else (x, y)
        pt = permutation_test((a, b), mean_diff, n_resamples=n_res, rng=np.random.default_rng(3))
        st = stats.permutation_test(
            (a, b), mean_diff, n_resamples=n_res, rng=np.random.default_rng(3)
        )
        out.append(
            compare(
                f"permutation test ({label}) p-value",
                pt.pvalue,
                st.pvalue,
                reference=ref,
                rtol=RESAMPLING_RTOL,
            )
        )
        out.append(
            compare(
                f"permutation test ({label}) null distribution",
                pt.null_distribution,
                st.null_distribution,
                reference=ref,
                rtol=RESAMPLING_RTOL,
                atol=1e-15,
            )
        )
    bv = decompose(n_datasets=60)
    gap = float(np.max(np.abs(bv.error_vs_truth - (bv.bias_sq + bv.variance))))
    out.append(
        behaviour(
            "bias^2 + variance = error vs truth (identity)",
            gap <= 1e-9 * float(np.max(bv.error_vs_truth)),
            f"max gap {gap:.2e}",
        )
    )
    out.append(
        behaviour(
            "bias falls and variance rises with degree",
            bv.bias_sq[-1] < bv.bias_sq[0] and bv.variance[-1] > bv.variance[0],
            f"bias^2 {bv.bias_sq[0]:.3g}->{bv.bias_sq[-1]:.3g}, "
            f"variance {bv.variance[0]:.3g}->{bv.variance[-1]:.3g}",
        )
    )
    return out
