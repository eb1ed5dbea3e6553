"""Benchmark: the cost of each guard. PII redaction throughput at three sizes against a plain
regex email scrub, and the Redis limiter against the in-memory one."""

from __future__ import annotations

import re
from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.ratelimit import TokenBucketLimiter
from phase5_mlops.security.evaluation import load_labelled
from phase5_mlops.security.pii import redact

EMAIL_ONLY = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")


def _acquire_many(limiter, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        limiter.acquire(f"k{i % 10}")


def run(quick: bool = False) -> list[BenchRow]:
    """Redaction of 100/1,000/10,000 labelled sentences; limiter calls at three counts."""
    texts = [row["text"] for row in load_labelled()]
    rows = []
    for n in sizes(quick, full=(100, 1000, 10000)):
        batch = (texts * (n // len(texts) + 1))[:n]
        rows.append(
            compare(
                "redact all PII kinds",
                n,
                partial(lambda b: [redact(t) for t in b], batch),
                partial(lambda b: [EMAIL_ONLY.sub("[EMAIL]", t) for t in b], batch),
                reference="one email regex",
                repeats=3,
            )
        )
    try:
        import redis

        from phase5_mlops.security.ratelimit import RedisTokenBucket
        from phase5_mlops.security.redis_server import redis_server
    except ImportError:  # pragma: no cover - redis is a dependency of the phase5 extra
        return rows
    with redis_server() as url:
        client = redis.Redis.from_url(url)
        for n in sizes(quick, full=(100, 1000, 5000), small=(50, 200, 500)):
            shared = RedisTokenBucket(client, 1e6, 1e6)
            local = TokenBucketLimiter(1e6, 1e6)
            rows.append(
                compare(
                    "redis token bucket",
                    n,
                    partial(_acquire_many, shared, n),
                    partial(_acquire_many, local, n),
                    reference="in-memory bucket",
                    repeats=3,
                )
            )
    return rows
