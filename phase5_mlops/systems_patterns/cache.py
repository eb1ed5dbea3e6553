"""A TTL cache with single-flight: N concurrent misses of one key run the computation once.

The first caller of a missing key becomes its leader and computes; the others wait on the
leader's result (or its exception, which is not cached). Entries expire `ttl_s` after they
were stored; the clock is injectable so tests step time instead of sleeping. Over the cache of
`minimal.py` it adds the lock, single-flight and hit/miss counters.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class _Flight(Generic[V]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: V | None = None
        self.error: BaseException | None = None


class SingleFlightCache(Generic[V]):
    """`get(key, compute)`: a fresh cached value, or one shared computation of it."""

    def __init__(
        self,
        ttl_s: float,
        max_entries: int = 10_000,
        single_flight: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s, self.max_entries, self.single_flight, self.clock = (
            ttl_s,
            max_entries,
            single_flight,
            clock,
        )
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._flights: dict[Hashable, _Flight[V]] = {}
        self.hits = self.misses = self.computations = self.coalesced = 0

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value of `key`, computing it at most once per expiry among concurrent callers."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > self.clock():
                self.hits += 1
                self._entries.move_to_end(key)
                return entry[1]
            self.misses += 1
            flight = self._flights.get(key) if self.single_flight else None
            leader = flight is None
            if flight is None:
                flight = _Flight()
                if self.single_flight:
                    self._flights[key] = flight
            else:
                self.coalesced += 1
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value  # type: ignore[return-value]
        try:
            with self._lock:
                self.computations += 1
            flight.value = compute()
            with self._lock:
                self._entries[key] = (self.clock() + self.ttl_s, flight.value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
            return flight.value
        except BaseException as err:
            flight.error = err
            raise
        finally:
            with self._lock:
                if self._flights.get(key) is flight:
                    del self._flights[key]
            flight.done.set()
