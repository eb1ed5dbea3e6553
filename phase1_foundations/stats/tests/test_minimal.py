"""The minimal version against scipy.stats and against the full version, on seeded samples."""

from __future__ import annotations

import numpy as np
import scipy.stats

from phase0_env.common.parity import assert_parity
from phase1_foundations.stats import minimal
from phase1_foundations.stats.resampling import bootstrap_ci, permutation_test
from phase1_foundations.stats.tests_classical import welch_ttest

RNG = np.random.default_rng(0)
A = RNG.normal(1.0, 1.0, size=25)
B = RNG.normal(0.4, 2.0, size=18)


def _mean(*samples, axis=-1):
    return samples[0].mean(axis=axis)


def _mean_diff(x, y, axis=-1):
    return x.mean(axis=axis) - y.mean(axis=axis)


def test_bootstrap_ci_equals_scipy_and_the_full_version():
    ours = minimal.bootstrap_ci(A, 999, 0.9, np.random.default_rng(1))
    ref = scipy.stats.bootstrap(
        (A,),
        np.mean,
        n_resamples=999,
        confidence_level=0.9,
        method="percentile",
        rng=np.random.default_rng(1),
    ).confidence_interval
    full = bootstrap_ci(
        [A],
        _mean,
        n_resamples=999,
        confidence_level=0.9,
        method="percentile",
        rng=np.random.default_rng(1),
    )
    # The same resamples; np.quantile and scipy's quantile round the interpolation apart.
    assert_parity(
        ours,
        (ref.low, ref.high),
        reference="scipy.stats.bootstrap",
        rtol=1e-12,
        name="bootstrap interval",
    )
    assert_parity(
        ours, (full.low, full.high), reference="full version", rtol=1e-12, name="bootstrap vs full"
    )


def test_welch_t_test_equals_scipy_and_the_full_version():
    t, dof, p = minimal.welch_t_test(A, B)
    ref = scipy.stats.ttest_ind(A, B, equal_var=False)
    full = welch_ttest(A, B)
    # Same formula; the p-value's incomplete beta is ours vs SciPy's Cephes.
    assert_parity(
        [t, dof, p],
        [ref.statistic, ref.df, ref.pvalue],
        reference="scipy ttest_ind",
        rtol=1e-10,
        name="welch t, dof, p",
    )
    assert_parity(
        [t, dof, p],
        [full.statistic, full.df, full.pvalue],
        reference="full version",
        rtol=1e-12,
        name="welch vs full",
    )


def test_permutation_test_equals_scipy_and_the_full_version():
    observed, p = minimal.permutation_test(A, B, 499, np.random.default_rng(2))
    ref = scipy.stats.permutation_test(
        (A, B), _mean_diff, n_resamples=499, vectorized=True, rng=np.random.default_rng(2)
    )
    full = permutation_test([A, B], _mean_diff, n_resamples=499, rng=np.random.default_rng(2))
    # The same shuffles, so the same counts over 500: p equal, the statistic up to rounding.
    assert_parity(
        [observed, p],
        [ref.statistic, ref.pvalue],
        reference="scipy permutation_test",
        rtol=1e-12,
        name="permutation test",
    )
    assert_parity(
        [observed, p],
        [full.statistic, full.pvalue],
        reference="full version",
        rtol=1e-12,
        name="permutation vs full",
    )
