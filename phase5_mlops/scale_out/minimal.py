"""A stream with consumer groups, the idea only: Redis Streams' XADD, XREADGROUP, XACK and
XAUTOCLAIM in one process, with time passed in explicitly.

A consumer group hands each new entry to exactly one of its consumers; the entry stays
pending for that consumer until acknowledged; entries left pending long enough (a crashed
consumer) are claimed by another and delivered again: at-least-once delivery. The full
version (`streams.py`, `redis_streams.py`) adds the engine interface, payloads, blocking
reads, locks and the Redis engine; `tests/test_minimal.py` checks this against both.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Group:
    """A consumer group's cursor and its pending entries."""

    next_index: int = 0  # first stream entry not yet delivered to this group
    # entry id -> [consumer, delivered at (ms), deliveries]; dicts keep insertion (= id) order
    pending: dict[int, list] = field(default_factory=dict)


@dataclass
class Stream:
    """Entries (id, key) in append order, and the consumer groups reading them."""

    entries: list[tuple[int, str]] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)

    def add(self, key: str) -> int:
        """Append an entry; ids increase (XADD)."""
        self.entries.append((len(self.entries) + 1, key))
        return len(self.entries)

    def read_group(self, group: str, consumer: str, count: int, now_ms: float) -> list[str]:
        """Keys of up to `count` entries this group never delivered, now pending on `consumer`.

        The group is created on first use, reading from the start (XGROUP CREATE ... 0).
        Hint: slice `entries` from the group's cursor, advance the cursor, record each id in
        `pending` as [consumer, now_ms, 1].
        """
        g = self.groups.setdefault(group, Group())
        batch = self.entries[g.next_index : g.next_index + count]
        g.next_index += len(batch)
        for entry_id, _ in batch:
            g.pending[entry_id] = [consumer, now_ms, 1]
        return [key for _, key in batch]

    def ack(self, group: str, ids: list[int]) -> int:
        """Forget pending entries (XACK); returns how many were pending."""
        pending = self.groups.setdefault(group, Group()).pending
        return sum(pending.pop(i, None) is not None for i in ids)

    def claim(
        self, group: str, consumer: str, min_idle_ms: float, count: int, now_ms: float
    ) -> list[str]:
        """Keys of up to `count` entries pending at least `min_idle_ms`, moved to `consumer`.

        Scan pending entries in id order (XAUTOCLAIM from 0-0); each claimed one now belongs
        to `consumer`, its idle clock restarts and its delivery count goes up by one.
        Hint: idle = now_ms - delivered at; update the pending record in place.
        """
        g = self.groups.setdefault(group, Group())
        keys = dict(self.entries)
        claimed: list[str] = []
        for entry_id, record in g.pending.items():
            if len(claimed) == count:
                break
            if now_ms - record[1] >= min_idle_ms:
                g.pending[entry_id] = [consumer, now_ms, record[2] + 1]
                claimed.append(keys[entry_id])
        return claimed

    def pending(self, group: str) -> list[tuple[int, str, int]]:
        """(id, consumer, deliveries) of every pending entry, oldest first (XPENDING)."""
        items = sorted(self.groups.setdefault(group, Group()).pending.items())
        return [(entry_id, c, n) for entry_id, (c, _, n) in items]
