from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.retraining_pipeline",
    title="Nightly retraining with contract, drift, quality and post-promotion gates",
    claim="a Prefect 3 flow (or the same steps as a plain command) that promotes a retrained "
    "phase 2 model only through every gate, rolls back a failed promotion, and leaves the "
    "champion serving when any gate fails; cron line and a Kubernetes CronJob",
    reference="prefect; kubernetes CronJob schema",
    demo="phase5_mlops.retraining_pipeline.demo:main",
    parity="phase5_mlops.retraining_pipeline.parity:checks",
    bench="phase5_mlops.retraining_pipeline.bench:run",
    requirements=(
        "prefect",
        "mlflow",
        "kubernetes",
        "pyyaml",
        "numpy",
        "pandas",
        "scipy",
        "scikit-learn",
        "pandera",
        "fastapi",
        "httpx",
    ),
    local_deps=("phase5_mlops.registry", "phase5_mlops.monitoring"),
)
