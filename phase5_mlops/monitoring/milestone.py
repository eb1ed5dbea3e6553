from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.monitoring",
    title="Drift monitoring with statistical tests written here",
    claim="KS (exact), chi-square, z-test, PSI, Jensen-Shannon and normed Wasserstein drift "
    "tests equal scipy; Evidently's per-column test choice; the phase 2 API's prediction log "
    "monitored live; gauges scraped by a real Prometheus whose alert rules fire on drift",
    reference="scipy",
    demo="phase5_mlops.monitoring.demo:main",
    parity="phase5_mlops.monitoring.parity:checks",
    bench="phase5_mlops.monitoring.bench:run",
    requirements=(
        "numpy",
        "pandas",
        "scipy",
        "scikit-learn",
        "pyarrow",
        "prometheus-client",
        "matplotlib",
        "fastapi",
        "uvicorn",
        "pydantic-settings",
        "httpx",
        "pyyaml",
    ),
    exercises=("ks_statistic", "ks_exact_pvalue", "psi", "wasserstein"),
)
