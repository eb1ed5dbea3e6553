from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.scale_out",
    title="Scale-out: Ray tuning and batch inference, Redis Streams, OpenTelemetry traces",
    claim="Ray tasks tune and batch-predict the phase 2 model with results equal to the serial "
    "run; the prediction log flows through Redis Streams consumer groups at least once with no "
    "event lost after a consumer crash; a W3C trace context links router and model spans",
    reference="ray (local cluster), Redis 7 streams, opentelemetry-sdk",
    demo="phase5_mlops.scale_out.demo:main",
    parity="phase5_mlops.scale_out.parity:checks",
    bench="phase5_mlops.scale_out.bench:run",
    requirements=(
        "numpy",
        "pandas",
        "scikit-learn",
        "ray",
        "redis",
        "opentelemetry-api",
        "opentelemetry-sdk",
        "fastapi",
        "httpx",
        "prometheus-client",
        "uvicorn",
        "pydantic-settings",
        "pyarrow",
        "pyyaml",
    ),
    local_deps=("phase5_mlops.monitoring", "phase5_mlops.security"),
    exercises=("read_group", "claim"),
)
