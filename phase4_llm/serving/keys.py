"""API keys: who is calling, and how a key is named in public output.

- Authentication: `Authorization: Bearer <key>` (OpenAI clients) or `X-API-Key`, compared in
  constant time with the configured keys; the first presented key that is valid is the
  caller's. With no keys configured the server is open and every caller is `anonymous` (one
  ledger entry and one metrics label, whatever keys clients make up).
- Labels: a key appears in `/metrics` and `/v1/usage` as `key-` + the kit's fingerprint,
  HMAC-SHA256 under `SERVING_KEY_HASH_SALT` (random per process when unset, so labels then
  change on restart). Unlike a bare sha256(key), it cannot be computed from a guessed key, so
  it confirms nothing.
- Rate limits are the kit's (`phase0_env.common.principals`): they key on the verified key
  whichever header carries it, and every unverified caller shares its address's bucket, so a
  valid key plus a bogus `X-API-Key`, or a fresh fake key per request, gains nothing.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from fastapi import HTTPException, Request

from phase0_env.common.principals import presented_keys

ANONYMOUS = "anonymous"


class KeyAuth:
    """Authenticates a request's key (a FastAPI dependency) and labels keys for output."""

    def __init__(self, keys: list[str], fingerprint: Callable[[str], str]) -> None:
        self._keys = [k.encode() for k in keys]
        self._fingerprint = fingerprint

    def label(self, key: str) -> str:
        """The public name of a key: 'anonymous' or 'key-<salted fingerprint>'."""
        if not self._keys:
            return ANONYMOUS
        return "key-" + self._fingerprint(key)

    def caller(self, request: Request) -> str:
        """The caller's key; 401 when keys are configured and none presented is valid."""
        if not self._keys:
            return ANONYMOUS
        given = presented_keys(request)
        for key in given:
            # Compare with every key (no early exit), so timing says nothing about which.
            if any([hmac.compare_digest(key.encode(), k) for k in self._keys]):
                return key
        if not given:
            raise HTTPException(401, "missing API key (Authorization: Bearer <key>)")
        raise HTTPException(401, "API key not accepted")
