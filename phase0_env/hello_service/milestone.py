from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase0_env.hello_service",
    title="Hello-world service on the service kit",
    claim="FastAPI on the kit: health, readiness, metrics, problem+json errors, API key, "
    "body limit, rate limit, graceful shutdown; Dockerfile and a systemd/cloud-init deploy kit",
    reference="behaviour checks",
    demo="phase0_env.hello_service.demo:main",
    parity="phase0_env.hello_service.parity:checks",
    bench="phase0_env.hello_service.bench:run",
    requirements=(
        "fastapi",
        "uvicorn",
        "pydantic",
        "pydantic-settings",
        "prometheus-client",
        "httpx",
        "numpy",
        "pyyaml",
    ),
)
