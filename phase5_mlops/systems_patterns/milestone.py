from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.systems_patterns",
    title="Systems patterns: gRPC twin, backpressure, single-flight cache, idempotency, "
    "retries, circuit breaker",
    claim="a gRPC twin of the phase 2 tabular API answers exactly as the REST service on the "
    "penguins (unary, batch, server streaming) with REST errors mapped to status codes, "
    "deadlines and cancellation; bounded queues shed with RESOURCE_EXHAUSTED and retry-after; "
    "N concurrent misses of one key compute once; a retried write applies once; retries with "
    "full jitter and a circuit breaker, each measured by a bounded load test",
    reference="REST service (phase2_tabular.tabular_api), grpcio, behaviour checks",
    demo="phase5_mlops.systems_patterns.demo:main",
    parity="phase5_mlops.systems_patterns.parity:checks",
    bench="phase5_mlops.systems_patterns.bench:run",
    requirements=(
        "numpy",
        "pandas",
        "scikit-learn",
        "grpcio",
        "protobuf",
        "fastapi",
        "httpx",
        "prometheus-client",
        "cachetools",
        "uvicorn",
        "pydantic-settings",
    ),
    exercises=("get", "backoff_s", "call"),
)
