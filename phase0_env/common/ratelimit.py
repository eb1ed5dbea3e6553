"""An in-memory token-bucket rate limiter, one bucket per client key."""

from __future__ import annotations

import threading
import time


class TokenBucketLimiter:
    """`rate` tokens per second refill each key's bucket up to `burst` tokens.

    `acquire(key)` takes one token and returns 0.0, or returns the seconds to wait
    (a Retry-After value) without taking one. Buckets that have refilled completely hold no
    information, so they are dropped once more than `max_keys` keys are tracked: memory stays
    bounded however many clients a server has seen.
    """

    def __init__(
        self, rate: float, burst: float, clock=time.monotonic, max_keys: int = 10_000
    ) -> None:
        self.rate = float(rate)
        self.burst = float(burst)
        self._clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0 and self.burst > 0

    def acquire(self, key: str) -> float:
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            if key not in self._buckets and len(self._buckets) >= self.max_keys:
                self._evict_full(now)
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _evict_full(self, now: float) -> None:
        """Forget every bucket that would be full now (as if never seen)."""
        full = [
            k
            for k, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * self.rate >= self.burst
        ]
        for k in full:
            del self._buckets[k]
