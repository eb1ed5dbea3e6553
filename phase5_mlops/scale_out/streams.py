"""Event streams with consumer groups: the interface, an in-memory engine, and a drain loop.

The model is Redis Streams' (and Kafka's, one level up): producers append events to a stream;
a consumer group hands each new event to exactly one of its consumers; a delivered event stays
*pending* for that consumer until it is acknowledged. A consumer that crashes between reading
and acknowledging leaves its events pending; another consumer of the group claims those that
have been idle long enough and processes them again. Delivery is therefore at least once, and
handlers must be idempotent: every event carries a producer-assigned `key` for that.

`InMemoryStream` implements these semantics in one process (tests, single-process tools);
`phase5_mlops.scale_out.redis_streams.RedisStream` implements them on Redis (XADD, XREADGROUP,
XACK, XPENDING, XAUTOCLAIM). Kafka is the engine past one machine behind the same interface:
partitions for the stream, consumer-group offsets for the pending list (see README).
Over `minimal.py` this adds the engine interface, payloads, blocking reads and a lock.
"""

from __future__ import annotations

import itertools
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    """One stream entry: its broker id, the producer's idempotency key and its payload."""

    id: str
    key: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Pending:
    """A delivered, unacknowledged entry: who holds it, for how long, how often delivered."""

    id: str
    consumer: str
    idle_ms: int
    deliveries: int


class StreamConsumer(ABC):
    """One named consumer of a consumer group."""

    name: str

    @abstractmethod
    def read(self, count: int = 100, block_ms: int = 0) -> list[Event]:
        """Up to `count` events never delivered to this group (waits up to `block_ms`)."""

    @abstractmethod
    def ack(self, ids: list[str]) -> int:
        """Acknowledge processed events; returns how many were pending."""

    @abstractmethod
    def claim_stale(self, min_idle_ms: int, count: int = 100) -> list[Event]:
        """Take over up to `count` events pending on any consumer for at least `min_idle_ms`."""

    @abstractmethod
    def pending(self) -> list[Pending]:
        """Every pending entry of the group, oldest first."""


class EventStream(ABC):
    """A stream that producers append to and consumer groups read from."""

    @abstractmethod
    def publish(self, key: str, payload: dict[str, Any]) -> str:
        """Append one event; returns its id."""

    @abstractmethod
    def consumer(self, group: str, name: str) -> StreamConsumer:
        """Consumer `name` of `group` (the group is created on first use, from the start)."""

    @abstractmethod
    def length(self) -> int:
        """Number of entries in the stream."""


def drain(
    consumer: StreamConsumer,
    handle: Callable[[Event], None],
    *,
    min_idle_ms: int = 30_000,
    batch: int = 100,
) -> int:
    """Process stale pending events of the group, then new ones, acknowledging each batch.

    Returns the number of events handled. An exception in `handle` propagates before the
    batch is acknowledged: those events stay pending for a later claim (at least once).
    """
    handled = 0
    for fetch in (lambda: consumer.claim_stale(min_idle_ms, batch), lambda: consumer.read(batch)):
        while events := fetch():
            for event in events:
                handle(event)
            consumer.ack([e.id for e in events])
            handled += len(events)
    return handled


@dataclass
class _Group:
    next_index: int = 0  # first entry not yet delivered to this group
    pending: dict[str, list[Any]] = field(default_factory=dict)  # id -> [consumer, t, n]


class InMemoryStream(EventStream):
    """The stream and its consumer groups in one process, with Redis Streams' semantics."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.entries: list[Event] = []
        self.groups: dict[str, _Group] = {}
        self.clock = clock
        self._ids = itertools.count(1)
        self._lock = threading.Condition()

    def publish(self, key: str, payload: dict[str, Any]) -> str:
        with self._lock:
            event = Event(f"0-{next(self._ids)}", key, dict(payload))
            self.entries.append(event)
            self._lock.notify_all()
            return event.id

    def consumer(self, group: str, name: str) -> StreamConsumer:
        with self._lock:
            self.groups.setdefault(group, _Group())
        return _InMemoryConsumer(self, group, name)

    def length(self) -> int:
        return len(self.entries)


class _InMemoryConsumer(StreamConsumer):
    def __init__(self, stream: InMemoryStream, group: str, name: str) -> None:
        self.stream, self.group, self.name = stream, group, name

    def read(self, count: int = 100, block_ms: int = 0) -> list[Event]:
        s, g = self.stream, self.stream.groups[self.group]
        with s._lock:
            if g.next_index >= len(s.entries) and block_ms > 0:
                s._lock.wait(block_ms / 1000)
            events = s.entries[g.next_index : g.next_index + count]
            g.next_index += len(events)
            now = s.clock()
            for e in events:
                g.pending[e.id] = [self.name, now, 1]
            return events

    def ack(self, ids: list[str]) -> int:
        with self.stream._lock:
            pending = self.stream.groups[self.group].pending
            return sum(pending.pop(i, None) is not None for i in ids)

    def claim_stale(self, min_idle_ms: int, count: int = 100) -> list[Event]:
        s, g = self.stream, self.stream.groups[self.group]
        with s._lock:
            now = s.clock()
            by_id = {e.id: e for e in s.entries}
            claimed: list[Event] = []
            for entry_id, holder in g.pending.items():  # insertion order = delivery order
                if len(claimed) == count:
                    break
                if (now - holder[1]) * 1000 >= min_idle_ms:
                    g.pending[entry_id] = [self.name, now, holder[2] + 1]
                    claimed.append(by_id[entry_id])
            return sorted(claimed, key=lambda e: _id_order(e.id))

    def pending(self) -> list[Pending]:
        s = self.stream
        with s._lock:
            now = s.clock()
            items = sorted(s.groups[self.group].pending.items(), key=lambda kv: _id_order(kv[0]))
            return [Pending(i, c, int((now - t) * 1000), n) for i, (c, t, n) in items]


def _id_order(entry_id: str) -> tuple[int, int]:
    ms, seq = entry_id.split("-")
    return int(ms), int(seq)
