"""API keys to callers: each accepted key maps to a principal, some keys are admins.

Keys come from two settings. `RAG_KEYS` names principals explicitly:
`[{"key": "...", "principal": "alice"}, {"key": "...", "principal": "ops", "admin": true}]`.
A key only in the kit's `RAG_API_KEYS` list is its own principal, named
`key-<HMAC-SHA256(store salt, key)[:16]>`: stable across restarts, and not a plain hash, so the
name (shown in listings) cannot confirm a guessed key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field, SecretStr

from phase4_llm.rag_service.access import Viewer


class KeyGrant(BaseModel):
    """One API key and the principal it acts as."""

    key: SecretStr
    principal: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    admin: bool = False


def key_principals(
    plain_keys: list[SecretStr], grants: list[KeyGrant], salt: str
) -> dict[bytes, Viewer]:
    """Every accepted key (bytes) -> the viewer it acts as; explicit grants win."""
    out: dict[bytes, Viewer] = {}
    for k in plain_keys:
        raw = k.get_secret_value().encode()
        digest = hmac.new(salt.encode(), raw, hashlib.sha256).hexdigest()[:16]
        out[raw] = Viewer(f"key-{digest}")
    for g in grants:
        out[g.key.get_secret_value().encode()] = Viewer(g.principal, g.admin)
    return out


def caller_dependencies(
    keys: dict[bytes, Viewer],
) -> tuple[Callable[[Request], Viewer], Callable[[Request], Viewer]]:
    """(optional, required): FastAPI dependencies resolving `X-API-Key` to a `Viewer`.

    Optional: no header is anonymous. Both: a key that is not accepted is 403 (a wrong key is
    never silently downgraded to anonymous). Required: no header is 401. No keys configured
    means every write is refused (fail closed).
    """

    def lookup(given: str) -> Viewer:
        raw = given.encode()
        found = None
        for k, viewer in keys.items():  # compare against every key: no early exit on a match
            if hmac.compare_digest(raw, k):
                found = viewer
        if found is None:
            raise HTTPException(403, "API key not accepted")
        return found

    def optional(request: Request) -> Viewer:
        given = request.headers.get("x-api-key")
        return Viewer(None) if not given else lookup(given)

    def required(request: Request) -> Viewer:
        given = request.headers.get("x-api-key")
        if not given:
            raise HTTPException(
                401, "missing X-API-Key header", headers={"WWW-Authenticate": "ApiKey"}
            )
        return lookup(given)

    return optional, required
