"""Three client/server patterns, the idea only: a TTL + LRU cache, full-jitter backoff and a
circuit breaker, single-threaded, with time passed in explicitly.

The full version (`cache.py`, `resilience.py`) adds locks, single-flight (concurrent misses
of one key share one computation), retry budgets and retry-after floors, and a breaker that
lets only one probe through at a time; `tests/test_minimal.py` checks these against
cachetools and against it.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    """A value is fresh for `ttl_s` seconds after it was computed; at most `max_entries` kept."""

    def __init__(self, ttl_s: float, max_entries: int) -> None:
        self.ttl_s, self.max_entries = ttl_s, max_entries
        self.entries: OrderedDict[Hashable, tuple[float, Any]] = (
            OrderedDict()
        )  # key -> (expiry, value)

    def get(self, key: Hashable, compute: Callable[[], Any], now: float) -> tuple[Any, bool]:
        """(value, hit): the cached value while fresh, else compute, store and return it.

        A hit moves the key to the recent end; storing past `max_entries` evicts the least
        recently used key (the far end of the OrderedDict).
        Hint: `move_to_end(key)` on a hit and after storing, `popitem(last=False)` to evict.
        """
        entry = self.entries.get(key)
        if entry is not None and entry[0] > now:
            self.entries.move_to_end(key)
            return entry[1], True
        value = compute()
        self.entries[key] = (now + self.ttl_s, value)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
        return value, False


def backoff_s(attempt: int, base_s: float, cap_s: float, rng: random.Random) -> float:
    """Full-jitter delay before retry `attempt` (0-based): uniform in [0, min(cap, base * 2**n)].

    The ceiling doubles per attempt; drawing anywhere below it spreads clients that failed
    together, so they do not retry in lock-step.
    Hint: one `rng.uniform(0.0, ...)` call.
    """
    return rng.uniform(0.0, min(cap_s, base_s * 2**attempt))


class CircuitBreaker:
    """closed -> open after `failures` consecutive errors -> half-open after `reset_after_s`."""

    def __init__(self, failures: int, reset_after_s: float) -> None:
        self.failures, self.reset_after_s = failures, reset_after_s
        self.state, self.consecutive, self.opened_at = "closed", 0, 0.0

    def call(self, fn: Callable[[], Any], now: float) -> Any:
        """Run `fn` unless the circuit is open; when open, raise RuntimeError without calling it.

        Open turns half-open once `reset_after_s` has passed: the next call is a probe. A
        success closes the circuit and clears the count; a failure counts, and opens the
        circuit when the count reaches `failures` or when the failing call was the probe.
        Hint: the failure path records `opened_at = now`, then re-raises the error.
        """
        if self.state == "open" and now - self.opened_at >= self.reset_after_s:
            self.state = "half_open"
        if self.state == "open":
            raise RuntimeError("open")
        try:
            result = fn()
        except Exception:
            self.consecutive += 1
            if self.state == "half_open" or self.consecutive >= self.failures:
                self.state, self.opened_at = "open", now
            raise
        self.state, self.consecutive = "closed", 0
        return result
