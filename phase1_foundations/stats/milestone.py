from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase1_foundations.stats",
    title="Statistics from scratch: bootstrap, classical tests, permutation test",
    claim="percentile and BCa bootstrap intervals equal scipy.stats.bootstrap with the same "
    "resamples; Welch/paired t, chi-square independence, Mann-Whitney U (exact and asymptotic) "
    "and a permutation test equal scipy's statistics and p-values; a bias-variance demo",
    reference="scipy",
    demo="phase1_foundations.stats.demo:main",
    parity="phase1_foundations.stats.parity:checks",
    bench="phase1_foundations.stats.bench:run",
    requirements=("numpy", "scipy", "matplotlib"),
    local_deps=(),
    exercises=("bootstrap_ci", "welch_t_test", "permutation_test"),
)
