"""The minimal drift tests against scipy and against the full versions, on seeded samples."""

from __future__ import annotations

import numpy as np
import scipy.stats
from scipy.special import rel_entr

from phase0_env.common.parity import assert_parity
from phase5_mlops.monitoring import minimal
from phase5_mlops.monitoring.ks_exact import ks_2samp_exact_pvalue
from phase5_mlops.monitoring.stattests import ks_statistic, psi, wasserstein_distance

RNG = np.random.default_rng(0)
REF = RNG.normal(0.0, 1.0, size=25)
CUR = RNG.normal(0.6, 1.3, size=18)


def test_ks_statistic_and_exact_pvalue_equal_scipy_and_the_full_version():
    d = minimal.ks_statistic(REF, CUR)
    p = minimal.ks_exact_pvalue(len(REF), len(CUR), d)
    ref = scipy.stats.ks_2samp(REF, CUR, method="exact")
    # The statistic is a difference of two multiples of 1/m and 1/n: identical arithmetic.
    assert_parity(d, ref.statistic, reference="scipy ks_2samp", rtol=1e-15, name="ks statistic")
    # scipy runs another recursion over the same distribution (see the README: ~1e-15 seen).
    assert_parity(
        p, ref.pvalue, reference="scipy ks_2samp exact", rtol=1e-9, atol=1e-12, name="ks exact p"
    )
    assert_parity(
        [d, p],
        [ks_statistic(REF, CUR), ks_2samp_exact_pvalue(25, 18, d)],
        reference="full version",
        rtol=1e-12,
        atol=1e-15,
        name="ks vs full",
    )


def test_ks_pvalue_on_the_band_edge_and_a_tiny_case():
    # 3 vs 3 with D = 1: 2 of the C(6, 3) = 20 orderings separate the samples completely.
    assert_parity(
        minimal.ks_exact_pvalue(3, 3, 1.0), 0.1, reference="hand count", rtol=1e-15, name="ks 3x3"
    )
    a, b = np.arange(6.0), np.arange(6.0) + 2.5
    d = minimal.ks_statistic(a, b)
    ref = scipy.stats.ks_2samp(a, b, method="exact")
    assert_parity(
        minimal.ks_exact_pvalue(6, 6, d),
        ref.pvalue,
        reference="scipy ks_2samp exact",
        rtol=1e-9,
        atol=1e-12,
        name="ks p on a lattice",
    )


def test_psi_equals_symmetric_kl_and_the_full_version():
    ref_sample = RNG.uniform(0.0, 1.0, size=2000)
    cur_sample = RNG.uniform(0.1, 1.1, size=1500)  # overlapping: no bin empty
    ours = minimal.psi(ref_sample, cur_sample, n_bins=8)
    edges = np.histogram_bin_edges(np.concatenate([ref_sample, cur_sample]), bins=8)
    r = np.histogram(ref_sample, edges)[0] / len(ref_sample)
    c = np.histogram(cur_sample, edges)[0] / len(cur_sample)
    assert (r > 0).all() and (c > 0).all()  # the minimal version's stated assumption holds
    kl = rel_entr(r, c).sum() + rel_entr(c, r).sum()  # PSI is KL(r||c) + KL(c||r)
    # The same terms, grouped differently: a few ulps.
    assert_parity(ours, kl, reference="scipy rel_entr", rtol=1e-12, name="psi")
    full = psi(ref_sample, cur_sample, n_bins=8).statistic
    assert_parity(ours, full, reference="full version", rtol=1e-12, name="psi vs full")


def test_wasserstein_equals_scipy_and_the_full_version():
    ours = minimal.wasserstein(REF, CUR)
    # scipy integrates the same step functions; its sums run in another order.
    assert_parity(
        ours,
        scipy.stats.wasserstein_distance(REF, CUR),
        reference="scipy wasserstein_distance",
        rtol=1e-12,
        name="wasserstein",
    )
    assert_parity(
        ours,
        wasserstein_distance(REF, CUR),
        reference="full version",
        rtol=1e-15,
        name="wasserstein vs full",
    )
