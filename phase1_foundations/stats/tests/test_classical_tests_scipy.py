"""Welch/paired t, chi-square independence and Mann-Whitney U equal scipy.stats."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.stats.distributions import betainc, gammaincc, norm_ppf
from phase1_foundations.stats.tests_classical import (
    chi2_independence,
    mann_whitney_u,
    paired_ttest,
    rank_average,
    welch_ttest,
)

SCIPY = reference_version("scipy")
# Statistics: same formulas in the same order, 1e-12. p-values: our continued fractions vs
# scipy's Cephes/Boost special functions agree to ~1e-13 relative; 1e-10 leaves margin.
STAT_RTOL, P_RTOL = 1e-12, 1e-10
ALTS = ["two-sided", "less", "greater"]
samples = st.integers(0, 100_000)


@pytest.mark.parametrize("alternative", ALTS)
@settings(max_examples=25)
@given(seed=samples, n1=st.integers(2, 50), n2=st.integers(2, 50))
def test_welch_t_equals_scipy(alternative, seed, n1, n2):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0.3, 2.0, n1), rng.normal(0.0, 0.5, n2)
    ours, ref = (
        welch_ttest(a, b, alternative),
        stats.ttest_ind(a, b, equal_var=False, alternative=alternative),
    )
    assert_parity(
        [ours.statistic, ours.df],
        [ref.statistic, ref.df],
        reference=SCIPY,
        rtol=STAT_RTOL,
        name="t, df",
    )
    assert_parity(ours.pvalue, ref.pvalue, reference=SCIPY, rtol=P_RTOL, name="p-value")


@pytest.mark.parametrize("alternative", ALTS)
@settings(max_examples=25)
@given(seed=samples, n=st.integers(2, 60))
def test_paired_t_equals_scipy(alternative, seed, n):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = a + rng.normal(0.2, 0.4, n)
    ours, ref = paired_ttest(a, b, alternative), stats.ttest_rel(a, b, alternative=alternative)
    assert_parity(ours.statistic, ref.statistic, reference=SCIPY, rtol=STAT_RTOL, name="t")
    assert_parity(ours.pvalue, ref.pvalue, reference=SCIPY, rtol=P_RTOL, name="p-value")


@pytest.mark.parametrize("correction", [True, False])
@settings(max_examples=25)
@given(seed=samples, rows=st.integers(2, 5), cols=st.integers(2, 5))
def test_chi2_independence_equals_scipy(correction, seed, rows, cols):
    table = np.random.default_rng(seed).integers(0, 40, (rows, cols)) + 1
    ours, ref = chi2_independence(table, correction), stats.chi2_contingency(table, correction)
    assert ours.df == ref.dof
    assert_parity(
        [ours.statistic, ours.pvalue],
        [ref.statistic, ref.pvalue],
        reference=SCIPY,
        rtol=P_RTOL,
        name="chi2, p",
    )


def test_yates_correction_is_applied_only_to_2x2():
    t = np.array([[3, 10], [9, 2]])
    assert chi2_independence(t).statistic < chi2_independence(t, correction=False).statistic


@pytest.mark.parametrize("alternative", ALTS)
@settings(max_examples=25)
@given(seed=samples, n1=st.integers(1, 10), n2=st.integers(1, 10))
def test_mann_whitney_exact_equals_scipy(alternative, seed, n1, n2):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=n1), rng.normal(0.7, size=n2)  # continuous: no ties
    ours = mann_whitney_u(x, y, alternative, method="exact")
    ref = stats.mannwhitneyu(x, y, alternative=alternative, method="exact")
    assert_parity(
        [ours.statistic, ours.pvalue],
        [ref.statistic, ref.pvalue],
        reference=SCIPY,
        rtol=P_RTOL,
        name="U, exact p",
    )


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("use_continuity", [True, False])
@settings(max_examples=20)
@given(seed=samples, n1=st.integers(1, 40), n2=st.integers(1, 40))
def test_mann_whitney_auto_and_asymptotic_with_ties_equal_scipy(
    alternative, use_continuity, seed, n1, n2
):
    rng = np.random.default_rng(seed)
    x, y = rng.integers(0, 6, n1).astype(float), rng.integers(1, 7, n2).astype(float)  # ties
    for method in ("auto", "asymptotic"):
        ours = mann_whitney_u(x, y, alternative, method, use_continuity)
        ref = stats.mannwhitneyu(x, y, use_continuity, alternative, method=method)
        assert_parity(
            [ours.statistic, ours.pvalue],
            [ref.statistic, ref.pvalue],
            reference=SCIPY,
            rtol=P_RTOL,
            atol=1e-300,
            name=f"U, p ({method})",
        )


def test_rank_average_equals_scipy_rankdata():
    v = np.random.default_rng(0).integers(0, 10, 200).astype(float)
    assert_parity(rank_average(v)[0], stats.rankdata(v), reference=SCIPY, exact=True, name="ranks")


@settings(max_examples=50)
@given(a=st.floats(0.05, 200), b=st.floats(0.05, 200), x=st.floats(1e-6, 1 - 1e-6))
def test_special_functions_equal_scipy_special(a, b, x):
    from scipy import special

    assert_parity(
        betainc(a, b, x),
        special.betainc(a, b, x),
        reference=SCIPY,
        rtol=1e-9,
        atol=1e-300,
        name="betainc",
    )
    assert_parity(
        gammaincc(a, x * 4 * a),
        special.gammaincc(a, x * 4 * a),
        reference=SCIPY,
        rtol=1e-9,
        atol=1e-300,
        name="gammaincc",
    )
    assert_parity(
        norm_ppf(x), special.ndtri(x), reference=SCIPY, rtol=1e-12, atol=1e-15, name="ndtri"
    )
