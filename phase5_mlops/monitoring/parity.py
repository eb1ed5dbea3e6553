"""Parity of every drift test with scipy on seeded samples and on the penguins table."""

from __future__ import annotations

import numpy as np
from scipy import special, stats
from scipy.spatial import distance

from phase0_env.common.parity import ParityResult, compare, reference_version
from phase5_mlops.monitoring import stattests as T

# The exact KS p-value sums O(m*n) scaled path counts; scipy uses its own recursion, so the
# two agree to rounding, not bit for bit.
KS_RTOL, KS_ATOL = 1e-9, 1e-12
SIZES = [(7, 7), (40, 25), (300, 300), (800, 1000)]


def samples(seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pairs of seeded normal samples of the sizes above, with a growing shift."""
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(size=m), rng.normal(0.1 * i, 1 + 0.05 * i, size=n))
        for i, (m, n) in enumerate(SIZES)
    ]


def categorical_samples(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (
        rng.choice(list("abcd"), size=600, p=[0.4, 0.3, 0.2, 0.1]),
        rng.choice(list("abcd"), size=400, p=[0.35, 0.3, 0.2, 0.15]),
    )


def checks() -> list[ParityResult]:
    """Our statistics and p-values against scipy's."""
    ref = reference_version("scipy")
    out = []
    ks_ours, ks_ref, w_ours, w_ref = [], [], [], []
    for a, b in samples():
        ours = T.ks_test(a, b)
        theirs = stats.ks_2samp(a, b, method="exact")
        ks_ours += [ours.statistic, ours.p_value]
        ks_ref += [theirs.statistic, theirs.pvalue]
        w_ours.append(T.wasserstein_normed(a, b).statistic)
        w_ref.append(stats.wasserstein_distance(a, b) / np.std(a))
    out.append(
        compare(
            "ks statistic and exact p-value",
            ks_ours,
            ks_ref,
            reference=ref,
            rtol=KS_RTOL,
            atol=KS_ATOL,
        )
    )
    out.append(compare("normed wasserstein", w_ours, w_ref, reference=ref, rtol=1e-10))

    a, b = samples()[2]
    shares = T.binned_shares(a, b)
    out.append(
        compare(
            "jensen-shannon (numeric bins)",
            T.jensen_shannon(a, b).statistic,
            distance.jensenshannon(*shares),
            reference=ref,
            rtol=1e-10,
        )
    )
    psi_ref = np.sum(special.rel_entr(*shares) + special.rel_entr(shares[1], shares[0]))
    out.append(
        compare(
            "psi = symmetric KL (scipy rel_entr)",
            T.psi(a, b).statistic,
            psi_ref,
            reference=ref,
            rtol=1e-10,
        )
    )

    ca, cb = categorical_samples()
    _, rc, cc = T._category_counts(ca, cb)
    chi = T.chi_square_test(ca, cb)
    theirs = stats.chisquare(cc, rc / rc.sum() * cc.sum())
    out.append(
        compare(
            "chi-square statistic and p-value",
            [chi.statistic, chi.p_value],
            [theirs.statistic, theirs.pvalue],
            reference=ref,
            rtol=1e-10,
        )
    )
    cat_shares = T.binned_shares(ca, cb, categorical=True)
    out.append(
        compare(
            "jensen-shannon (categories)",
            T.jensen_shannon(ca, cb, categorical=True).statistic,
            distance.jensenshannon(*cat_shares),
            reference=ref,
            rtol=1e-10,
        )
    )

    ba, bb = (ca == "a"), (cb == "a")
    z = T.z_test(ba, bb)
    table = np.array([[ba.sum(), (~ba).sum()], [bb.sum(), (~bb).sum()]])
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    out.append(
        compare(
            "z-test (z^2 and p vs 2x2 chi-square)",
            [z.statistic**2, z.p_value],
            [chi2, p],
            reference=ref,
            rtol=1e-10,
        )
    )
    return out
