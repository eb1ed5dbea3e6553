"""Every drift statistic and p-value equals scipy's."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.stats.distributions import chi2_sf
from phase5_mlops.monitoring import stattests as T
from phase5_mlops.monitoring.parity import KS_ATOL, KS_RTOL, checks

SCIPY = reference_version("scipy")


def test_every_parity_check_passes():
    results = checks()
    assert len(results) == 7
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed


@given(
    m=st.integers(1, 60), n=st.integers(1, 60), seed=st.integers(0, 2**16), shift=st.floats(0, 2)
)
def test_ks_exact_pvalue_equals_scipy_for_any_sizes(m, n, seed, shift):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=m), rng.normal(shift, size=n)
    ours = T.ks_test(a, b)
    theirs = stats.ks_2samp(a, b, method="exact")
    # Same exact distribution, different recursions: equal to rounding.
    assert_parity(
        [ours.statistic, ours.p_value],
        [theirs.statistic, theirs.pvalue],
        reference=SCIPY,
        rtol=KS_RTOL,
        atol=KS_ATOL,
        name="ks exact",
    )


@given(seed=st.integers(0, 2**16), ties=st.booleans())
def test_ks_handles_ties_like_scipy(seed, ties):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, 5, 40).astype(float), rng.integers(0, 6, 55).astype(float)
    if not ties:
        a, b = a + rng.random(40), b + rng.random(55)
    theirs = stats.ks_2samp(a, b, method="exact")
    ours = T.ks_test(a, b)
    assert_parity(
        [ours.statistic, ours.p_value],
        [theirs.statistic, theirs.pvalue],
        reference=SCIPY,
        rtol=KS_RTOL,
        atol=KS_ATOL,
        name="ks ties",
    )


@given(seed=st.integers(0, 2**16), n=st.integers(2, 500))
def test_wasserstein_equals_scipy(seed, n):
    rng = np.random.default_rng(seed)
    a, b = rng.exponential(size=n), rng.exponential(1.3, size=n + 7)
    assert_parity(
        T.wasserstein_distance(a, b),
        stats.wasserstein_distance(a, b),
        reference=SCIPY,
        rtol=1e-10,
        atol=1e-14,
        name="wasserstein",
    )


@given(dof=st.integers(1, 60), x=st.floats(1e-6, 300))
def test_chi_square_tail_equals_scipy(dof, x):
    # The tail comes from phase 1's stats milestone; checked again over this range.
    assert_parity(
        chi2_sf(x, dof),
        stats.chi2.sf(x, dof),
        reference=SCIPY,
        rtol=1e-9,
        atol=1e-300,
        name="chi2 sf",
    )
