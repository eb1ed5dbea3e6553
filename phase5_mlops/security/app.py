"""A service that shows the pieces together: scoped keys, per-key rate limits, PII redaction,
and the prompt-injection screen shared with phase 4 (stored text may later reach a prompt)."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from phase0_env.common.ratelimit import TokenBucketLimiter
from phase0_env.common.service import ServiceSettings, create_service_app, problem
from phase4_llm.common.injection import injection_matches
from phase5_mlops.security.apikeys import KeyStore, StoredKey, require_scope
from phase5_mlops.security.pii import find_pii, redact


class SecuritySettings(ServiceSettings):
    """`ROADMAP_SECURITY_*` variables; keys are hashed records, the secrets never appear."""

    model_config = SettingsConfigDict(env_prefix="ROADMAP_SECURITY_", extra="ignore")
    service_name: str = "security"
    keys_json: SecretStr = SecretStr("[]")
    redis_url: str = ""
    key_rate_per_minute: int = 120
    key_burst: int = 20


class RedactRequest(BaseModel):
    text: str = Field(..., max_length=20_000)


class RedactResponse(BaseModel):
    text: str
    found: dict[str, int]


class ScreenResponse(BaseModel):
    injection: list[str]
    pii: dict[str, int]


def create_app(settings: SecuritySettings | None = None) -> FastAPI:
    """The app (`uvicorn --factory phase5_mlops.security.app:create_app`)."""
    settings = settings or SecuritySettings()
    store = KeyStore.from_json(settings.keys_json.get_secret_value())
    app = create_service_app(settings, title="Security demo service")
    limiter = _limiter(settings)
    items: list[str] = []

    def limited(scope: str):  # type: ignore[no-untyped-def]
        check = require_scope(store, scope)

        def dependency(request: Request) -> StoredKey:
            record = check(request)
            wait = limiter.acquire(record.key_id)
            if wait > 0:
                raise HTTPException(
                    429,
                    "rate limit exceeded for this key",
                    headers={"Retry-After": str(max(1, round(wait)))},
                )
            return record

        return dependency

    reader = Annotated[StoredKey, Depends(limited("read"))]
    writer = Annotated[StoredKey, Depends(limited("write"))]
    admin = Annotated[StoredKey, Depends(limited("admin"))]

    @app.get("/items")
    def list_items(_: reader) -> list[str]:
        return items

    @app.post("/items", status_code=201)
    def add_item(body: RedactRequest, _: writer):  # type: ignore[no-untyped-def]
        # Items are later shown to models: refuse instructions hidden in data at the door.
        found = injection_matches(body.text)
        if found:
            return problem(400, "Bad Request", f"text looks like a prompt injection: {found[0]!r}")
        items.append(redact(body.text))
        return {"stored": items[-1]}

    @app.delete("/items", status_code=204)
    def clear_items(_: admin) -> None:
        items.clear()

    @app.post("/redact", response_model=RedactResponse)
    def redact_text(body: RedactRequest, _: reader) -> dict:
        return {"text": redact(body.text), "found": _pii_counts(body.text)}

    @app.post("/screen", response_model=ScreenResponse)
    def screen_text(body: RedactRequest, _: reader) -> dict:
        return {"injection": injection_matches(body.text), "pii": _pii_counts(body.text)}

    return app


def _pii_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in find_pii(text):
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return counts


def _limiter(settings: SecuritySettings):  # type: ignore[no-untyped-def]
    rate = settings.key_rate_per_minute / 60.0
    if settings.redis_url:
        import redis

        from phase5_mlops.security.ratelimit import RedisTokenBucket

        return RedisTokenBucket(redis.Redis.from_url(settings.redis_url), rate, settings.key_burst)
    return TokenBucketLimiter(rate, settings.key_burst)
