from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.deploy",
    title="Blue-green and canary delivery decided by live metrics",
    claim="Kubernetes manifests, a Helm chart and an Argo Rollouts canary that validate against "
    "the Kubernetes schemas; a local controller that shifts real traffic 10-25-50-100 % and "
    "promotes or rolls back on success rate, p99 latency and prediction PSI, losing no request",
    reference="Argo Rollouts manifests; Kubernetes API schemas; Prometheus (promtool)",
    demo="phase5_mlops.deploy.demo:main",
    parity="phase5_mlops.deploy.parity:checks",
    bench="phase5_mlops.deploy.bench:run",
    requirements=(
        "numpy",
        "pandas",
        "scikit-learn",
        "scipy",
        "fastapi",
        "uvicorn",
        "httpx",
        "pydantic-settings",
        "prometheus-client",
        "pyyaml",
        "kubernetes",
        "jsonschema",
    ),
    local_deps=("phase5_mlops.monitoring",),
    exercises=("histogram_quantile", "class_psi", "weighted_split"),
)
