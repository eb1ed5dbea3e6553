"""Idempotency keys for writes: a retried write (same key, same body) applies once.

The first request with a key runs the write and stores its response; a retry gets the stored
response without running it again, a concurrent duplicate waits for the first, and the same
key with a different body is refused (`KeyReused`, REST 422 / gRPC INVALID_ARGUMENT) because
the client has mixed two writes up. Keys are kept for `ttl_s` (Stripe keeps them 24 h).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any


class KeyReused(Exception):
    """The idempotency key was used before with a different request body."""


class IdempotencyStore:
    """`run(key, body, write)`: the write's response, applying it at most once per key."""

    def __init__(
        self, ttl_s: float = 86_400.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s, self.clock = ttl_s, clock
        self._lock = threading.Lock()
        # key -> (fingerprint, expires_at, done event, [response] or [] while running)
        self._records: dict[str, tuple[str, float, threading.Event, list[Any]]] = {}
        self.applied = self.replayed = 0

    def run(self, key: str, body: Any, write: Callable[[], Any]) -> Any:
        """Apply `write` once for `key`; replays return the first response."""
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with self._lock:
            now = self.clock()
            record = self._records.get(key)
            if record is not None and record[1] <= now and record[2].is_set():
                del self._records[key]
                record = None
            if record is None:
                record = (fingerprint, now + self.ttl_s, threading.Event(), [])
                self._records[key] = record
                owner = True
            else:
                owner = False
                if record[0] != fingerprint:
                    raise KeyReused(f"idempotency key {key!r} was used with another body")
        _, _, done, slot = record
        if not owner:
            done.wait()
            with self._lock:
                if not slot:  # the first attempt failed: nothing was applied, so try again
                    self._records.pop(key, None)
            if not slot:
                return self.run(key, body, write)
            self.replayed += 1
            return slot[0]
        try:
            response = write()
            slot.append(response)
            with self._lock:
                self.applied += 1
            return response
        except BaseException:
            with self._lock:
                self._records.pop(key, None)  # a failed write may be retried with its key
            raise
        finally:
            done.set()
