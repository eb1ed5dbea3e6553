"""A service that shows the pieces together: scoped keys, per-key rate limits, PII redaction,
and the prompt-injection screen shared with phase 4 (stored text may later reach a prompt).

Items belong to a principal: the key's `owner` when the record names one, else its key id. A
key lists and deletes only its principal's items; an `admin` key sees and deletes all of them.
"""

import itertools
from dataclasses import dataclass
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
    # Checked in the handlers (413); the model's hard cap is the body limit's order of size.
    max_text_chars: int = 20_000


class RedactRequest(BaseModel):
    text: str = Field(..., max_length=4_000_000)


class ItemOut(BaseModel):
    id: int
    owner: str
    text: str


@dataclass
class _Item:
    id: int
    owner: str
    text: str


def principal(record: StoredKey) -> str:
    """Who owns what a key writes: the record's `owner`, or its key id when it has none."""
    return record.owner or record.key_id


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
    items: list[_Item] = []
    next_id = itertools.count(1)

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

    def too_long(body: RedactRequest):  # type: ignore[no-untyped-def]
        if len(body.text) > settings.max_text_chars:
            return problem(413, "Payload Too Large", f"text over {settings.max_text_chars} chars")
        return None

    def visible(record: StoredKey) -> list[_Item]:
        if record.allows("admin"):
            return list(items)
        return [i for i in items if i.owner == principal(record)]

    @app.get("/items", response_model=list[ItemOut], responses={401: {}, 403: {}, 429: {}})
    def list_items(record: reader) -> list[dict]:
        """The caller's items (an admin key: everyone's)."""
        return [i.__dict__ for i in visible(record)]

    @app.post("/items", status_code=201, responses={400: {}, 401: {}, 403: {}, 413: {}, 429: {}})
    def add_item(body: RedactRequest, record: writer):  # type: ignore[no-untyped-def]
        """Store redacted text under the caller's principal; text carrying instructions is 400."""
        if (refused := too_long(body)) is not None:
            return refused
        # Items are later shown to models: refuse instructions hidden in data at the door.
        found = injection_matches(body.text)
        if found:
            return problem(400, "Bad Request", f"text looks like a prompt injection: {found[0]!r}")
        items.append(_Item(next(next_id), principal(record), redact(body.text)))
        return {"stored": items[-1].text, "id": items[-1].id}

    @app.delete("/items", status_code=204, responses={401: {}, 403: {}, 429: {}})
    def clear_items(record: writer) -> None:
        """Delete the caller's items (an admin key: everyone's)."""
        gone = {id(i) for i in visible(record)}
        items[:] = [i for i in items if id(i) not in gone]

    @app.delete("/items/{item_id}", status_code=204, responses={401: {}, 403: {}, 404: {}})
    def delete_item(item_id: int, record: writer):  # type: ignore[no-untyped-def]
        """Delete one item; another principal's item is 404, so ids reveal nothing."""
        for i in visible(record):
            if i.id == item_id:
                items.remove(i)
                return None
        return problem(404, "Not Found", f"no item {item_id}")

    @app.post("/redact", response_model=RedactResponse, responses={413: {}})
    def redact_text(body: RedactRequest, _: reader):  # type: ignore[no-untyped-def]
        if (refused := too_long(body)) is not None:
            return refused
        return {"text": redact(body.text), "found": _pii_counts(body.text)}

    @app.post("/screen", response_model=ScreenResponse, responses={413: {}})
    def screen_text(body: RedactRequest, _: reader):  # type: ignore[no-untyped-def]
        if (refused := too_long(body)) is not None:
            return refused
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
