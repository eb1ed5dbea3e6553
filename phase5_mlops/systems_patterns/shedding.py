"""Backpressure: admit at most `max_inflight` requests, queue at most `max_queue`, shed the rest.

A request past both bounds is refused at once with a retry-after hint (REST 429 / gRPC
RESOURCE_EXHAUSTED) instead of waiting in an unbounded queue where it would time out anyway:
the server keeps answering the work it accepted at its normal latency.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Overloaded(Exception):
    """The request was shed; try again after `retry_after_s` seconds."""

    def __init__(self, retry_after_s: float, reason: str) -> None:
        super().__init__(reason)
        self.retry_after_s = retry_after_s


class Shedder:
    """Bounded concurrency with a bounded wait queue (`max_queue=0`: no waiting at all)."""

    def __init__(self, max_inflight: int, max_queue: int, retry_after_s: float = 0.05) -> None:
        if max_inflight < 1 or max_queue < 0:
            raise ValueError("max_inflight must be >= 1 and max_queue >= 0")
        self.max_inflight, self.max_queue, self.retry_after_s = (
            max_inflight,
            max_queue,
            retry_after_s,
        )
        self._cond = threading.Condition()
        self.inflight = 0
        self.waiting = 0
        self.shed = 0
        self.admitted = 0

    @contextmanager
    def admit(self, timeout_s: float | None = None) -> Iterator[None]:
        """Hold a slot for the body; raise `Overloaded` when full or no slot frees in time."""
        with self._cond:
            if self.inflight >= self.max_inflight:
                if self.waiting >= self.max_queue:
                    self.shed += 1
                    raise Overloaded(self.retry_after_s, "queue full")
                self.waiting += 1
                try:
                    got = self._cond.wait_for(
                        lambda: self.inflight < self.max_inflight, timeout=timeout_s
                    )
                finally:
                    self.waiting -= 1
                if not got:
                    self.shed += 1
                    raise Overloaded(self.retry_after_s, "no slot before the deadline")
            self.inflight += 1
            self.admitted += 1
        try:
            yield
        finally:
            with self._cond:
                self.inflight -= 1
                self._cond.notify()
