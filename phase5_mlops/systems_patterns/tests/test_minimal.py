"""The minimal patterns against cachetools and against the full version, on seeded timelines."""

from __future__ import annotations

import random

from phase0_env.common.parity import assert_parity
from phase5_mlops.systems_patterns import minimal
from phase5_mlops.systems_patterns.cache import SingleFlightCache
from phase5_mlops.systems_patterns.resilience import BreakerOpen, CircuitBreaker, RetryPolicy
from phase5_mlops.systems_patterns.resilience import backoff_s as full_backoff


def _timeline(seed: int, n: int, keys: int, step: float) -> list[tuple[float, int]]:
    rng = random.Random(seed)
    now, events = 0.0, []
    for _ in range(n):
        now += rng.choice([0.0, step, 3 * step])  # repeats at one instant, and gaps
        events.append((now + 1e-3 * rng.random(), rng.randrange(keys)))  # no exact-expiry ties
    return events


def _hits_cachetools(events, ttl_s: float, size: int) -> list[bool]:
    import cachetools

    clock = [0.0]
    cache = cachetools.TTLCache(maxsize=size, ttl=ttl_s, timer=lambda: clock[0])
    hits = []
    for now, key in events:
        clock[0] = now
        hit = key in cache
        if hit:
            cache[key]  # a read, which refreshes the key's LRU position
        else:
            cache[key] = now
        hits.append(hit)
    return hits


def _hits(cache_get, events) -> list[bool]:
    return [cache_get(key, now) for now, key in events]


def test_ttl_expiry_equals_cachetools_and_the_full_version():
    events = _timeline(0, 400, keys=6, step=0.4)
    ours = minimal.TTLCache(ttl_s=1.0, max_entries=100)
    mine = _hits(lambda k, t: ours.get(k, lambda: t, t)[1], events)
    assert_parity(
        mine,
        _hits_cachetools(events, 1.0, 100),
        reference="cachetools TTLCache",
        exact=True,
        name="ttl hits",
    )
    clock = [0.0]
    full = SingleFlightCache(ttl_s=1.0, max_entries=100, clock=lambda: clock[0])

    def full_get(key, now):
        clock[0] = now
        before = full.hits
        full.get(key, lambda: now)
        return full.hits > before

    assert_parity(
        mine, _hits(full_get, events), reference="full version", exact=True, name="ttl vs full"
    )
    assert 50 < sum(mine) < 350  # both hits and expiries happen


def test_lru_eviction_equals_cachetools():
    events = _timeline(1, 400, keys=9, step=0.1)
    ours = minimal.TTLCache(ttl_s=1e9, max_entries=4)  # nothing expires: eviction alone
    mine = _hits(lambda k, t: ours.get(k, lambda: t, t)[1], events)
    assert_parity(
        mine,
        _hits_cachetools(events, 1e9, 4),
        reference="cachetools TTLCache",
        exact=True,
        name="lru hits",
    )


def test_backoff_equals_the_full_version():
    policy = RetryPolicy(base_s=0.01, cap_s=0.5)
    a, b = random.Random(5), random.Random(5)
    ours = [minimal.backoff_s(n % 8, 0.01, 0.5, a) for n in range(200)]
    full = [full_backoff(n % 8, policy, b) for n in range(200)]
    assert_parity(ours, full, reference="full version", exact=True, name="backoff")
    ceilings = [min(0.5, 0.01 * 2 ** (n % 8)) for n in range(200)]
    assert all(0 <= d <= c for d, c in zip(ours, ceilings, strict=True))
    assert max(ours) > 0.4  # the cap is reached, and the draws are not all at the ceiling
    assert len(set(ours)) == 200


def test_circuit_breaker_equals_the_full_version():
    rng = random.Random(2)
    script = []
    now = 0.0
    for i in range(300):
        now += rng.choice([0.05, 0.2, 0.9])
        script.append((now, rng.random() < (0.8 if 60 < i < 160 else 0.1)))  # a bad stretch

    def run(call) -> list[str]:
        out = []
        for t, fails in script:

            def fn(fails=fails):
                if fails:
                    raise ConnectionError("down")
                return "ok"

            try:
                out.append(call(fn, t))
            except ConnectionError:
                out.append("error")
            except (RuntimeError, BreakerOpen):
                out.append("rejected")
        return out

    ours = minimal.CircuitBreaker(failures=3, reset_after_s=1.0)
    clock = [0.0]
    full = CircuitBreaker(failures=3, reset_after_s=1.0, clock=lambda: clock[0])

    def full_call(fn, t):
        clock[0] = t
        return full.call(fn)

    mine = run(ours.call)
    assert_parity(
        mine, run(full_call), reference="full version", exact=True, name="breaker outcomes"
    )
    assert {"ok", "error", "rejected"} <= set(mine)
