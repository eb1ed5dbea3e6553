"""Checks: the Redis limiter decides exactly as the in-memory one; keys, PII and secrets behave."""

from __future__ import annotations

from fastapi.testclient import TestClient
from pydantic import SecretStr

from phase0_env.common.parity import ParityResult, behaviour, compare
from phase0_env.common.paths import project_root
from phase0_env.common.ratelimit import TokenBucketLimiter
from phase5_mlops.security.apikeys import KeyStore, issue_key
from phase5_mlops.security.app import SecuritySettings, create_app
from phase5_mlops.security.evaluation import evaluate
from phase5_mlops.security.secrets_scan import scan_repository

MIN_PRECISION, MIN_RECALL = 0.95, 0.95
ROOT = project_root(__file__)


def timeline(n: int = 200) -> list[tuple[float, str]]:
    """A fixed, bursty request timeline over three keys (time in seconds, key)."""
    events, now = [], 1_000_000.0
    for i in range(n):
        now += 0.01 if i % 17 else 1.3  # bursts, with an occasional pause that refills
        events.append((now, "abc"[i % 3 if i % 5 else 0]))
    return events


def replay(limiter_factory, events):  # type: ignore[no-untyped-def]
    clock = [events[0][0]]
    limiter = limiter_factory(lambda: clock[0])
    waits = []
    for now, key in events:
        clock[0] = now
        waits.append(limiter.acquire(key))
    return waits


def limiter_parity() -> ParityResult:
    """Waits returned by RedisTokenBucket (real redis-server) vs TokenBucketLimiter."""
    import redis

    from phase5_mlops.security.ratelimit import RedisTokenBucket
    from phase5_mlops.security.redis_server import redis_server

    events = timeline()
    ours = replay(lambda clock: TokenBucketLimiter(2.0, 5, clock=clock), events)
    with redis_server() as url:
        client = redis.Redis.from_url(url)
        version = client.info()["redis_version"]
        theirs = replay(lambda clock: RedisTokenBucket(client, 2.0, 5, clock=clock), events)
    # Both evaluate the same float64 arithmetic (Lua numbers are doubles).
    return compare(
        "redis limiter = in-memory limiter (200 requests)",
        theirs,
        ours,
        reference=f"redis {version} vs in-memory",
        rtol=1e-12,
        atol=1e-12,
    )


def scope_checks() -> list[ParityResult]:
    """401 without or with a bad key, 403 without the scope, 2xx with it; 429 past the burst."""
    read_key, read_rec = issue_key(("read",))
    admin_key, admin_rec = issue_key(("admin",))
    settings = SecuritySettings(
        keys_json=SecretStr(KeyStore([read_rec, admin_rec]).to_json()),
        key_burst=3,
        key_rate_per_minute=1,
    )
    client = TestClient(create_app(settings))
    codes = {
        "no key": client.get("/items").status_code,
        "bad key": client.get("/items", headers={"x-api-key": read_key + "x"}).status_code,
        "read on read": client.get("/items", headers={"x-api-key": read_key}).status_code,
        "read on write": client.post(
            "/items", json={"text": "x"}, headers={"x-api-key": read_key}
        ).status_code,
        "admin on write": client.post(
            "/items", json={"text": "x"}, headers={"x-api-key": admin_key}
        ).status_code,
    }
    expected = {
        "no key": 401,
        "bad key": 401,
        "read on read": 200,
        "read on write": 403,
        "admin on write": 201,
    }
    burst = [client.get("/items", headers={"x-api-key": read_key}).status_code for _ in range(3)]
    return [
        behaviour("401 vs 403 vs 2xx by scope", codes == expected, str(codes)),
        behaviour("per-key burst then 429", burst[-1] == 429, str(burst)),
    ]


def checks() -> list[ParityResult]:
    """All checks of the milestone."""
    total, _ = evaluate()
    findings = scan_repository(ROOT)
    return [
        limiter_parity(),
        *scope_checks(),
        behaviour(
            f"PII precision >= {MIN_PRECISION}",
            total.precision >= MIN_PRECISION,
            f"precision {total.precision:.3f}",
        ),
        behaviour(
            f"PII recall >= {MIN_RECALL}", total.recall >= MIN_RECALL, f"recall {total.recall:.3f}"
        ),
        behaviour(
            "no secrets in the repository",
            not findings,
            "; ".join(f"{f.path}:{f.line} {f.rule}" for f in findings[:5]),
        ),
    ]
