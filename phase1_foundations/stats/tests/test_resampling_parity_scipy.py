"""Bootstrap intervals and permutation tests equal scipy's with the same random stream."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.stats.parity import mean_diff
from phase1_foundations.stats.resampling import bootstrap_ci, permutation_test, quantile_linear

SCIPY = reference_version("scipy")
# Same resamples and the same quantile arithmetic: only rounding in the statistic and in
# the BCa normal quantile (ours vs scipy's ndtri) can differ, so 1e-12 relative.
RTOL = 1e-12


def _median(x, axis=-1):
    return np.median(x, axis=axis)


def _corr(x, y, axis=-1):
    xm = x - x.mean(axis=axis, keepdims=True)
    ym = y - y.mean(axis=axis, keepdims=True)
    return (xm * ym).sum(axis=axis) / np.sqrt((xm**2).sum(axis=axis) * (ym**2).sum(axis=axis))


@pytest.mark.parametrize("method", ["percentile", "bca"])
@settings(max_examples=15)
@given(n=st.integers(5, 60), seed=st.integers(0, 10_000), level=st.sampled_from([0.8, 0.95]))
def test_one_sample_bootstrap_equals_scipy(method, n, seed, level):
    x = np.random.default_rng(seed).gamma(2.0, size=n)
    for statistic in (np.mean, np.std):
        ours = bootstrap_ci(
            (x,),
            statistic,
            n_resamples=500,
            method=method,
            confidence_level=level,
            rng=np.random.default_rng(seed),
        )
        ref = stats.bootstrap(
            (x,),
            statistic,
            n_resamples=500,
            method=method,
            confidence_level=level,
            rng=np.random.default_rng(seed),
        )
        assert_parity(
            [ours.low, ours.high, ours.standard_error],
            [ref.confidence_interval.low, ref.confidence_interval.high, ref.standard_error],
            reference=SCIPY,
            rtol=RTOL,
            name=f"{method} CI",
        )
        assert_parity(
            ours.distribution,
            ref.bootstrap_distribution,
            reference=SCIPY,
            rtol=RTOL,
            name="bootstrap distribution",
        )


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_two_sample_and_paired_bootstrap_equal_scipy(method):
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=25), rng.exponential(size=31)
    ours = bootstrap_ci(
        (x, y), mean_diff, n_resamples=999, method=method, rng=np.random.default_rng(1)
    )
    ref = stats.bootstrap(
        (x, y), mean_diff, n_resamples=999, method=method, rng=np.random.default_rng(1)
    )
    assert_parity(
        [ours.low, ours.high],
        list(ref.confidence_interval),
        reference=SCIPY,
        rtol=RTOL,
        name="two-sample CI",
    )
    z = x + rng.normal(scale=0.5, size=25)
    ours = bootstrap_ci(
        (x, z), _corr, n_resamples=999, method=method, paired=True, rng=np.random.default_rng(2)
    )
    ref = stats.bootstrap(
        (x, z), _corr, n_resamples=999, method=method, paired=True, rng=np.random.default_rng(2)
    )
    assert_parity(
        [ours.low, ours.high],
        list(ref.confidence_interval),
        reference=SCIPY,
        rtol=RTOL,
        name="paired correlation CI",
    )


def test_quantile_linear_equals_numpy_default():
    v = np.random.default_rng(0).normal(size=101)
    p = np.array([0.0, 0.025, 0.5, 0.975, 1.0])
    assert_parity(quantile_linear(v, p), np.quantile(v, p), reference="numpy quantile", rtol=1e-14)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@settings(max_examples=10)
@given(
    n1=st.integers(2, 7),
    n2=st.integers(2, 7),
    seed=st.integers(0, 10_000),
    n_resamples=st.sampled_from([99, 10**6]),
)
def test_permutation_test_equals_scipy_random_and_exact(alternative, n1, n2, seed, n_resamples):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=n1), rng.normal(0.5, size=n2)
    ours = permutation_test(
        (x, y),
        mean_diff,
        n_resamples=n_resamples,
        alternative=alternative,
        rng=np.random.default_rng(seed),
    )
    ref = stats.permutation_test(
        (x, y),
        mean_diff,
        n_resamples=n_resamples,
        alternative=alternative,
        rng=np.random.default_rng(seed),
    )
    assert_parity(ours.statistic, ref.statistic, reference=SCIPY, rtol=RTOL, name="statistic")
    assert_parity(ours.pvalue, ref.pvalue, reference=SCIPY, rtol=RTOL, name="p-value")
    # atol: a null statistic that is exactly 0 in one can be ~1e-17 in the other.
    assert_parity(
        ours.null_distribution,
        ref.null_distribution,
        reference=SCIPY,
        rtol=RTOL,
        atol=1e-15,
        name="null distribution",
    )


def test_three_sample_permutation_test_equals_scipy():
    rng = np.random.default_rng(9)
    data = (rng.normal(size=4), rng.normal(size=3), rng.normal(1.0, size=3))

    def spread(*groups, axis=-1):
        means = np.stack([g.mean(axis=axis) for g in groups])
        return means.max(axis=0) - means.min(axis=0)

    ours = permutation_test(data, spread, n_resamples=10**6, rng=np.random.default_rng(0))
    ref = stats.permutation_test(data, spread, n_resamples=10**6, rng=np.random.default_rng(0))
    assert ours.null_distribution.size == 4200  # 10! / (4! 3! 3!) partitions, enumerated
    assert_parity(ours.pvalue, ref.pvalue, reference=SCIPY, rtol=RTOL, name="3-sample p")
