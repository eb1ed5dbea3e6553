from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.security",
    title="Security: scoped API keys, rate limits, PII redaction, secret scanning",
    claim="hashed scoped API keys (401 vs 403), token-bucket limits in memory and in Redis with "
    "identical decisions, PII redaction with measured precision/recall, a repository secret scan",
    reference="behaviour checks; Redis 7 for the shared limiter",
    demo="phase5_mlops.security.demo:main",
    parity="phase5_mlops.security.parity:checks",
    bench="phase5_mlops.security.bench:run",
    requirements=("fastapi", "uvicorn", "pydantic-settings", "prometheus-client", "httpx", "redis"),
    exercises=("token_bucket", "luhn_valid", "iban_valid"),
)
