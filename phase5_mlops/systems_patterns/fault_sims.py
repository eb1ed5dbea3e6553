"""Seeded fault simulations: what retries, a circuit breaker and idempotency keys buy.

They drive an in-process flaky dependency on a virtual clock (no sleeping), because what they
measure is outcomes and call counts, which the network would only add noise to.
"""

from __future__ import annotations

import math
import random

from phase5_mlops.systems_patterns.idempotency import IdempotencyStore
from phase5_mlops.systems_patterns.resilience import (
    BreakerOpen,
    CircuitBreaker,
    RetryPolicy,
    retry_call,
)


class Transient(Exception):
    """A failure worth retrying (UNAVAILABLE / RESOURCE_EXHAUSTED)."""


def retry_sim(
    retries: bool, calls: int = 2000, p_fail: float = 0.2, seed: int = 0
) -> dict[str, float]:
    """Success rate and attempts per call against a dependency failing with probability `p_fail`."""
    rng, jitter = random.Random(seed), random.Random(seed + 1)
    attempts = 0

    def call() -> str:
        nonlocal attempts
        attempts += 1
        if rng.random() < p_fail:
            raise Transient()
        return "ok"

    policy = RetryPolicy(attempts=4 if retries else 1)
    ok = 0
    for _ in range(calls):
        try:
            retry_call(
                call, lambda e: isinstance(e, Transient), policy, jitter, sleep=lambda s: None
            )
            ok += 1
        except Transient:
            pass
    return {"success_rate": ok / calls, "attempts_per_call": attempts / calls}


def breaker_sim(
    breaker: bool,
    seconds: float = 10.0,
    every_s: float = 0.01,
    outage: tuple[float, float] = (2.0, 6.0),
    timeout_s: float = 0.2,
) -> dict[str, float]:
    """A dependency down during `outage`, timing out after `timeout_s`; a request every `every_s`.

    With a breaker the requests during the outage fail at once (no call), and one probe per
    `reset_after_s` finds the dependency back.
    """
    now = 0.0
    cb = CircuitBreaker(failures=5, reset_after_s=0.5, clock=lambda: now)
    dependency_calls = 0
    outage_latency: list[float] = []
    first_ok_after = float("nan")

    def dependency() -> str:
        nonlocal dependency_calls
        if outage[0] <= now < outage[1]:
            dependency_calls += 1
            raise Transient()
        return "ok"

    for i in range(int(seconds / every_s)):
        now = i * every_s
        latency = 0.0
        try:
            cb.call(dependency) if breaker else dependency()
            if now >= outage[1] and math.isnan(first_ok_after):
                first_ok_after = now - outage[1]
        except Transient:
            latency = timeout_s  # the caller waited for the dependency's timeout
        except BreakerOpen:
            latency = 0.0
        if outage[0] <= now < outage[1]:
            outage_latency.append(latency)
    return {
        "dependency_calls_in_outage": float(dependency_calls),
        "mean_latency_in_outage_ms": 1000 * sum(outage_latency) / len(outage_latency),
        "recovered_after_s": first_ok_after,
    }


def idempotency_sim(
    keys: bool, writes: int = 1000, p_lost: float = 0.2, seed: int = 0
) -> dict[str, float]:
    """Writes whose answer is lost with probability `p_lost` after applying; the client retries."""
    rng = random.Random(seed)
    store, ledger = IdempotencyStore(), []

    for i in range(writes):
        body = {"order": i}

        def apply(body: dict[str, int] = body) -> int:
            ledger.append(body)
            return len(ledger)

        def send(body: dict[str, int] = body, apply=apply) -> int:  # type: ignore[no-untyped-def]
            result = store.run(f"order-{body['order']}", body, apply) if keys else apply()
            if rng.random() < p_lost:
                raise Transient()  # the write landed, the answer did not
            return result

        retry_call(
            send, lambda e: isinstance(e, Transient), RetryPolicy(attempts=10), sleep=lambda s: None
        )
    return {
        "writes": writes,
        "applied": len(ledger),
        "duplicates": len(ledger) - len({b["order"] for b in ledger}),
    }
