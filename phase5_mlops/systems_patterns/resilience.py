"""Client-side resilience: retries with exponential backoff and full jitter, a circuit breaker.

`retry_call` retries only errors its predicate calls transient (UNAVAILABLE, RESOURCE_EXHAUSTED),
waits `min(cap, base * 2**attempt) * U(0, 1)` between attempts (full jitter spreads a burst of
failing clients out instead of having them retry in lock-step), honours a server's retry-after
as a floor, and never sleeps past its overall budget. `CircuitBreaker` stops calling a
dependency that keeps failing and lets one probe through after `reset_after_s`. Over
`minimal.py` they add the retry loop with its budget, a lock, and one probe at a time.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """At most `attempts` calls; backoff base/cap in seconds; `budget_s` bounds all the waiting."""

    attempts: int = 4
    base_s: float = 0.01
    cap_s: float = 0.5
    budget_s: float = 5.0


def backoff_s(attempt: int, policy: RetryPolicy, rng: random.Random) -> float:
    """Full-jitter delay before retry number `attempt` (0-based): U(0, min(cap, base * 2**n))."""
    return rng.uniform(0.0, min(policy.cap_s, policy.base_s * 2**attempt))


def retry_call(
    call: Callable[[], T],
    retryable: Callable[[BaseException], bool],
    policy: RetryPolicy = RetryPolicy(),
    rng: random.Random | None = None,
    sleep: Callable[[float], None] = time.sleep,
    retry_after: Callable[[BaseException], float] = lambda err: 0.0,
) -> T:
    """`call()`, retried on retryable errors; the last error is raised when attempts run out."""
    rng = rng or random.Random()
    waited = 0.0
    for attempt in range(policy.attempts):
        try:
            return call()
        except BaseException as err:
            if not retryable(err) or attempt == policy.attempts - 1:
                raise
            delay = max(backoff_s(attempt, policy, rng), retry_after(err))
            if waited + delay > policy.budget_s:
                raise
            sleep(delay)
            waited += delay
    raise AssertionError("unreachable: the loop returns or raises")


class BreakerOpen(Exception):
    """The circuit is open: the call was not made."""


class CircuitBreaker:
    """closed -> open after `failures` consecutive errors -> half-open after `reset_after_s`."""

    def __init__(
        self,
        failures: int = 5,
        reset_after_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        counts: Callable[[BaseException], bool] = lambda err: True,
    ) -> None:
        # `counts`: which errors say the dependency is unhealthy (not a caller's bad input).
        self.failures, self.reset_after_s, self.clock = failures, reset_after_s, clock
        self.counts = counts
        self._lock = threading.Lock()
        self.state = "closed"
        self._consecutive = 0
        self._opened_at = 0.0
        self._probing = False
        self.rejected = 0

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` unless the circuit is open; one probe at a time when half-open."""
        with self._lock:
            if self.state == "open" and self.clock() - self._opened_at >= self.reset_after_s:
                self.state = "half_open"
            if self.state == "open" or (self.state == "half_open" and self._probing):
                self.rejected += 1
                raise BreakerOpen(f"circuit {self.state}")
            if self.state == "half_open":
                self._probing = True
        try:
            result = fn()
        except BaseException as err:
            with self._lock:
                self._probing = False
                if not self.counts(err):  # the dependency answered: healthy
                    self._consecutive, self.state = 0, "closed"
                    raise
                self._consecutive += 1
                if self.state == "half_open" or self._consecutive >= self.failures:
                    self.state, self._opened_at = "open", self.clock()
            raise
        with self._lock:
            self._probing = False
            self._consecutive = 0
            self.state = "closed"
        return result
