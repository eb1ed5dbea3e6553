"""The event stream on Redis Streams: XADD, XREADGROUP, XACK, XPENDING and XAUTOCLAIM.

Each entry holds two fields: `key` (the producer's idempotency key) and `payload` (JSON).
Consumer groups are created from id 0 with MKSTREAM, so a group sees the whole stream even if
it was created after the first events. `max_len` trims the stream approximately (`MAXLEN ~`),
the usual bound for a log that consumers keep up with.
"""

from __future__ import annotations

import json
from typing import Any

from phase5_mlops.scale_out.streams import Event, EventStream, Pending, StreamConsumer


class RedisStream(EventStream):
    """A Redis stream named `name` on the server behind `client` (a `redis.Redis`)."""

    def __init__(self, client: Any, name: str, max_len: int | None = None) -> None:
        self.client, self.name, self.max_len = client, name, max_len

    @classmethod
    def from_url(cls, url: str, name: str, max_len: int | None = None) -> RedisStream:
        """Connect to `redis://host:port/db` (answers decoded to str)."""
        import redis

        return cls(redis.Redis.from_url(url, decode_responses=True), name, max_len)

    def publish(self, key: str, payload: dict[str, Any]) -> str:
        fields = {"key": key, "payload": json.dumps(payload)}
        return str(
            self.client.xadd(self.name, fields, maxlen=self.max_len, approximate=True)
            if self.max_len
            else self.client.xadd(self.name, fields)
        )

    def consumer(self, group: str, name: str) -> StreamConsumer:
        import redis

        try:
            self.client.xgroup_create(self.name, group, id="0", mkstream=True)
        except redis.ResponseError as err:
            if "BUSYGROUP" not in str(err):  # the group already exists: that is fine
                raise
        return RedisStreamConsumer(self.client, self.name, group, name)

    def length(self) -> int:
        return int(self.client.xlen(self.name))


class RedisStreamConsumer(StreamConsumer):
    """Consumer `name` of `group` on one Redis stream."""

    def __init__(self, client: Any, stream: str, group: str, name: str) -> None:
        self.client, self.stream, self.group, self.name = client, stream, group, name

    def read(self, count: int = 100, block_ms: int = 0) -> list[Event]:
        answer = self.client.xreadgroup(
            self.group, self.name, {self.stream: ">"}, count=count, block=block_ms or None
        )
        return [_event(i, f) for _, entries in (answer or []) for i, f in entries]

    def ack(self, ids: list[str]) -> int:
        return int(self.client.xack(self.stream, self.group, *ids)) if ids else 0

    def claim_stale(self, min_idle_ms: int, count: int = 100) -> list[Event]:
        claimed: list[Event] = []
        start = "0-0"
        while len(claimed) < count:  # XAUTOCLAIM scans in pages; follow its cursor
            cursor, entries, *_ = self.client.xautoclaim(
                self.stream, self.group, self.name, min_idle_ms, start, count=count - len(claimed)
            )
            # An entry trimmed away while pending comes back empty: nothing left to process.
            claimed += [_event(i, f) for i, f in entries if f]
            if cursor in ("0-0", b"0-0"):
                break
            start = cursor
        return claimed

    def pending(self) -> list[Pending]:
        rows = self.client.xpending_range(self.stream, self.group, "-", "+", 10_000)
        return [
            Pending(
                str(r["message_id"]),
                str(r["consumer"]),
                int(r["time_since_delivered"]),
                int(r["times_delivered"]),
            )
            for r in rows
        ]


def _event(entry_id: Any, fields: dict[str, Any]) -> Event:
    return Event(str(entry_id), str(fields["key"]), json.loads(fields["payload"]))
