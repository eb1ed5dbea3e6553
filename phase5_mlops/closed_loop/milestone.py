from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.closed_loop",
    title="The closed loop: drift -> retrain -> gate -> register -> canary -> promote or roll back",
    claim="one command: the served champion's live traffic drifts, the monitor flags it, the "
    "retraining gates pass a challenger that is registered and canaried on real processes, then "
    "promoted in the registry or rolled back while the champion keeps serving",
    reference="behaviour (composes registry, retraining_pipeline, deploy, monitoring)",
    demo="phase5_mlops.closed_loop.demo:main",
    parity="phase5_mlops.closed_loop.parity:checks",
    bench="phase5_mlops.closed_loop.bench:run",
    requirements=(
        "mlflow",
        "numpy",
        "pandas",
        "scipy",
        "scikit-learn",
        "pandera",
        "pyarrow",
        "fastapi",
        "uvicorn",
        "httpx",
        "pydantic-settings",
        "prometheus-client",
    ),
    local_deps=(
        "phase5_mlops.registry",
        "phase5_mlops.retraining_pipeline",
        "phase5_mlops.deploy",
        "phase5_mlops.monitoring",
    ),
)
