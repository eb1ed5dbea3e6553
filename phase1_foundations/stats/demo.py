"""Demo: scipy-equal tests and intervals on seeded data, and the bias-variance plot."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from phase0_env.common.paths import project_root

from .bias_variance import decompose, plot
from .parity import checks, mean_diff
from .resampling import bootstrap_ci, permutation_test
from .tests_classical import mann_whitney_u, welch_ttest

ARTIFACTS = project_root(__file__) / "artifacts" / "phase1_foundations" / "stats"


def main(quick: bool = False, out_dir: Path | None = None) -> None:
    """Print results, every parity check against scipy, and save the bias-variance PNG."""
    rng = np.random.default_rng(42)
    control, treated = rng.lognormal(0.0, 0.6, 30), rng.lognormal(0.3, 0.6, 30)
    ci = bootstrap_ci(
        (treated,), np.mean, n_resamples=2000 if quick else 9999, rng=np.random.default_rng(0)
    )
    print(f"mean(treated) = {treated.mean():.4f}, 95% BCa CI [{ci.low:.4f}, {ci.high:.4f}]")
    w = welch_ttest(treated, control)
    print(f"Welch t = {w.statistic:.4f}, df = {w.df:.2f}, p = {w.pvalue:.4g}")
    u = mann_whitney_u(treated, control)
    print(f"Mann-Whitney U = {u.statistic:.1f}, p = {u.pvalue:.4g}")
    perm = permutation_test(
        (treated, control),
        mean_diff,
        n_resamples=2000 if quick else 9999,
        rng=np.random.default_rng(0),
    )
    print(f"permutation test diff = {perm.statistic:.4f}, p = {perm.pvalue:.4g}")

    bv = decompose(n_datasets=60 if quick else 200)
    png = plot(bv, (out_dir or ARTIFACTS) / "bias_variance.png")
    print("\ndegree  bias^2    variance  test MSE")
    for d, b, v, e in zip(bv.degrees, bv.bias_sq, bv.variance, bv.test_mse, strict=True):
        print(f"{d:>6}  {b:.5f}  {v:.5f}  {e:.5f}")
    print(f"plot saved to {png}")

    print("\nparity with scipy:")
    for r in checks():
        mark = "ok " if r.passed else "FAIL"
        print(f"  [{mark}] {r.name:<46} max err {r.max_error:.2e}  ({r.reference})")
