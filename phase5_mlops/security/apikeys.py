"""Hashed API keys with scopes.

A key looks like `rk_<id>_<secret>`. Only `<id>`, a random salt and SHA-256(salt + secret) are
stored, so a leaked key store does not leak keys. A slow password hash (scrypt, bcrypt) is not
needed: the secret is 192 random bits, not a guessable password, so a fast hash resists brute
force and keeps the check off the request's latency (scrypt would add ~100 ms per request).
Scopes: `read`, `write`, `admin` (admin implies the others). A missing or unknown key is 401;
a valid key without the scope is 403.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request

SCOPES = ("read", "write", "admin")


@dataclass(frozen=True)
class StoredKey:
    """What the server keeps for one key: never the key itself."""

    key_id: str
    salt: str
    digest: str
    scopes: tuple[str, ...]
    owner: str = ""

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes


def _digest(secret: str, salt: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


def issue_key(scopes: tuple[str, ...], owner: str = "") -> tuple[str, StoredKey]:
    """A new key (shown once to its owner) and the record to store."""
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes must be a non-empty subset of {SCOPES}, got {scopes}")
    key_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(24), secrets.token_hex(16)
    return f"rk_{key_id}_{secret}", StoredKey(
        key_id, salt, _digest(secret, salt), tuple(scopes), owner
    )


class KeyStore:
    """Verifies presented keys against stored records (loaded from JSON, e.g. an env var)."""

    def __init__(self, keys: list[StoredKey] | None = None) -> None:
        self._keys = {k.key_id: k for k in keys or []}

    @classmethod
    def from_json(cls, text: str) -> KeyStore:
        """Records as a JSON list (what `ROADMAP_SECURITY_KEYS` holds)."""
        rows = json.loads(text or "[]")
        return cls(
            [
                StoredKey(
                    r["key_id"], r["salt"], r["digest"], tuple(r["scopes"]), r.get("owner", "")
                )
                for r in rows
            ]
        )

    def to_json(self) -> str:
        return json.dumps([k.__dict__ for k in self._keys.values()])

    def add(self, record: StoredKey) -> None:
        self._keys[record.key_id] = record

    def verify(self, presented: str) -> StoredKey | None:
        """The record of a genuine key, or None (constant-time on the secret)."""
        parts = presented.split("_", 2)
        if len(parts) != 3 or parts[0] != "rk":
            return None
        record = self._keys.get(parts[1])
        if record is None:
            # Spend the same work as a real check so timing does not reveal unknown ids.
            _digest(parts[2], "00" * 16)
            return None
        if hmac.compare_digest(_digest(parts[2], record.salt), record.digest):
            return record
        return None


def require_scope(store: KeyStore, scope: str) -> Callable[[Request], StoredKey]:
    """A FastAPI dependency: 401 without a genuine key, 403 without the scope."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(request: Request) -> StoredKey:
        presented = request.headers.get("x-api-key")
        if not presented:
            raise HTTPException(
                401, "missing X-API-Key header", headers={"WWW-Authenticate": "ApiKey"}
            )
        record = store.verify(presented)
        if record is None:
            raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "ApiKey"})
        if not record.allows(scope):
            raise HTTPException(403, f"this key lacks the {scope!r} scope")
        request.state.api_key = record
        return record

    return dependency
