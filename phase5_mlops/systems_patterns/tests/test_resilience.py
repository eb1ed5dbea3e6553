"""Retries with exponential backoff and full jitter; the circuit breaker's state machine."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phase5_mlops.systems_patterns.resilience import (
    BreakerOpen,
    CircuitBreaker,
    RetryPolicy,
    backoff_s,
    retry_call,
)


class Transient(Exception):
    pass


def flaky(failures):
    state = {"calls": 0}

    def call():
        state["calls"] += 1
        if state["calls"] <= failures:
            raise Transient()
        return "ok"

    return call, state


@given(st.integers(0, 20), st.integers(0, 2**32 - 1))
def test_backoff_is_within_the_capped_exponential_envelope(attempt, seed):
    policy = RetryPolicy(base_s=0.01, cap_s=0.5)
    delay = backoff_s(attempt, policy, random.Random(seed))
    assert 0.0 <= delay <= min(0.5, 0.01 * 2**attempt)


def test_jitter_spreads_clients_out():
    policy = RetryPolicy(base_s=0.1, cap_s=10)
    delays = {round(backoff_s(3, policy, random.Random(s)), 6) for s in range(50)}
    assert len(delays) == 50


def test_retries_until_success_and_sleeps_between():
    call, state = flaky(2)
    sleeps = []
    assert retry_call(call, lambda e: isinstance(e, Transient), sleep=sleeps.append) == "ok"
    assert state["calls"] == 3 and len(sleeps) == 2


def test_gives_up_after_attempts_with_the_last_error():
    call, state = flaky(10)
    with pytest.raises(Transient):
        retry_call(call, lambda e: True, RetryPolicy(attempts=3), sleep=lambda s: None)
    assert state["calls"] == 3


def test_does_not_retry_permanent_errors():
    call, state = flaky(10)
    with pytest.raises(Transient):
        retry_call(call, lambda e: False, sleep=lambda s: None)
    assert state["calls"] == 1


def test_retry_after_is_a_floor_and_budget_bounds_waiting():
    call, _ = flaky(1)
    sleeps = []
    retry_call(call, lambda e: True, sleep=sleeps.append, retry_after=lambda e: 0.3)
    assert sleeps[0] >= 0.3
    call, state = flaky(10)
    with pytest.raises(Transient):
        retry_call(
            call,
            lambda e: True,
            RetryPolicy(budget_s=0.5),
            sleep=lambda s: None,
            retry_after=lambda e: 0.3,
        )
    assert state["calls"] == 2


class Clock:
    t = 0.0

    def __call__(self):
        return self.t


def test_breaker_opens_rejects_probes_and_closes():
    clock = Clock()
    breaker = CircuitBreaker(failures=3, reset_after_s=1.0, clock=clock)
    call, state = flaky(4)
    for _ in range(3):
        with pytest.raises(Transient):
            breaker.call(call)
    assert breaker.state == "open"
    with pytest.raises(BreakerOpen):
        breaker.call(call)
    assert state["calls"] == 3  # rejected without calling
    clock.t = 1.0
    with pytest.raises(Transient):  # the half-open probe fails: open again
        breaker.call(call)
    assert breaker.state == "open"
    clock.t = 2.0
    assert breaker.call(call) == "ok" and breaker.state == "closed"


def test_success_resets_the_consecutive_count():
    breaker = CircuitBreaker(failures=2)
    for failures in (1, 1, 1):
        call, _ = flaky(failures)
        with pytest.raises(Transient):
            breaker.call(call)
        assert breaker.call(call) == "ok"
    assert breaker.state == "closed"


def test_half_open_lets_one_probe_at_a_time():
    clock = Clock()
    breaker = CircuitBreaker(failures=1, reset_after_s=1.0, clock=clock)
    with pytest.raises(Transient):
        breaker.call(flaky(1)[0])
    clock.t = 1.0

    def probe():
        with pytest.raises(BreakerOpen):  # a second caller while the probe is in flight
            breaker.call(lambda: "second")
        return "probe"

    assert breaker.call(probe) == "probe" and breaker.state == "closed"


def test_errors_that_do_not_count_keep_the_circuit_closed():
    breaker = CircuitBreaker(failures=1, counts=lambda err: isinstance(err, Transient))
    with pytest.raises(ValueError):
        breaker.call(lambda: int("not a number"))
    assert breaker.state == "closed"
    with pytest.raises(Transient):
        breaker.call(flaky(1)[0])
    assert breaker.state == "open"
