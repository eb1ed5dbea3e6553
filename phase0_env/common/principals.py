"""Who is calling: the principal the rate limiter keys on, and key fingerprints for labels.

A rate limiter keyed on a raw header is bypassed by sending a fresh made-up key with each
request. The kit therefore limits by *principal*: the identity of a caller whose credentials
were verified, or, for every other caller (no key, unknown key, forged key), one anonymous
bucket per client address. A client can then use at most one bucket per valid key it holds
plus its address's anonymous bucket, however many keys it invents.

A service that authenticates its own way passes `principal=` to `create_service_app`: a
function of the request that returns a stable id for verified credentials, else None.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence

from starlette.requests import Request

Principal = Callable[[Request], str | None]

# Methods a metric label may carry; anything else (a made-up method name) is "OTHER".
KNOWN_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
)


def key_fingerprint(key: str, salt: bytes) -> str:
    """A keyed hash of `key` (HMAC-SHA256 under `salt`, 12 hex chars), safe to show.

    Without the salt nobody can confirm a guessed key from it, unlike `sha256(key)[:8]`:
    `key_fingerprint("k", b"s") != key_fingerprint("k", b"t")`.
    """
    return hmac.new(salt, key.encode(), hashlib.sha256).hexdigest()[:12]


def presented_keys(request: Request) -> list[str]:
    """Every API key the request presents: `Authorization: Bearer` first, then `X-API-Key`."""
    keys = []
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and auth[7:].strip():
        keys.append(auth[7:].strip())
    given = request.headers.get("x-api-key")
    if given:
        keys.append(given)
    return keys


def api_key_principal(valid_keys: Sequence[str], salt: bytes) -> Principal:
    """The kit's default principal: `key:<fingerprint>` of the first presented key that is
    valid, or None (anonymous) when no presented key is valid.

    A valid bearer token next to a bogus `X-API-Key` (or the other way round) is the valid
    key's principal, so mixing headers never opens a fresh bucket.
    """
    encoded = [k.encode() for k in valid_keys]

    def principal(request: Request) -> str | None:
        for given in presented_keys(request):
            raw = given.encode()
            # Compare with every key (no early exit), so timing says nothing about which.
            if any([hmac.compare_digest(raw, k) for k in encoded]):
                return "key:" + key_fingerprint(given, salt)
        return None

    return principal


def client_address(request: Request) -> str:
    """The peer address of the connection (proxy headers are not trusted: anyone can set them)."""
    return request.client.host if request.client else "-"


def metric_method(method: str) -> str:
    """The method as a bounded metric label: a standard method, else "OTHER"."""
    return method if method in KNOWN_METHODS else "OTHER"
