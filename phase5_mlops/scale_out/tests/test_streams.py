"""At-least-once delivery through consumer groups, on Redis and in memory, with equal results."""

import itertools
import time

import pytest

from phase5_mlops.scale_out.redis_streams import RedisStream
from phase5_mlops.scale_out.streams import Event, InMemoryStream, drain

_names = itertools.count()


@pytest.fixture(params=["memory", "redis"])
def stream(request):
    if request.param == "memory":
        return InMemoryStream()
    url = request.getfixturevalue("redis_url")
    return RedisStream.from_url(url, f"predictions-{next(_names)}")


def _publish(stream, n):
    return [
        stream.publish(f"log:{i}", {"features": {"x": i}, "prediction": "a"})
        for i in range(1, n + 1)
    ]


class Crash(RuntimeError):
    pass


def test_each_new_event_goes_to_exactly_one_consumer_of_a_group(stream):
    _publish(stream, 10)
    a, b = stream.consumer("g", "a"), stream.consumer("g", "b")
    first, second, third = a.read(4), b.read(4), a.read(4)
    keys = [e.key for e in first + second + third]
    assert keys == [f"log:{i}" for i in range(1, 11)]
    assert a.read(4) == [] and b.read(4) == []
    other_group = stream.consumer("h", "c").read(100)
    assert [e.key for e in other_group] == keys  # every group sees the whole stream


def test_a_crash_before_ack_loses_nothing_and_duplicates_are_dropped(stream):
    _publish(stream, 20)
    seen, duplicates = {}, 0

    def handle(event: Event):
        nonlocal duplicates
        if event.key in seen:
            duplicates += 1
        seen[event.key] = event.payload

    crashing = stream.consumer("monitor", "a")
    for event in crashing.read(8):
        handle(event)
    # "a" dies here: it processed 8 events and acknowledged none of them.
    pending = crashing.pending()
    assert [p.consumer for p in pending] == ["a"] * 8 and all(p.deliveries == 1 for p in pending)

    rescuer = stream.consumer("monitor", "b")
    assert rescuer.claim_stale(min_idle_ms=60_000) == []  # a live consumer is not robbed
    time.sleep(0.08)
    assert drain(rescuer, handle, min_idle_ms=50) == 20  # 8 reclaimed + 12 new
    assert sorted(seen, key=lambda k: int(k.split(":")[1])) == [f"log:{i}" for i in range(1, 21)]
    assert duplicates == 8
    assert rescuer.pending() == [] and stream.length() == 20


def test_a_handler_failure_leaves_the_batch_pending_for_the_next_claim(stream):
    _publish(stream, 5)
    consumer = stream.consumer("g", "a")

    def fail_on_third(event):
        if event.key == "log:3":
            raise Crash(event.key)

    with pytest.raises(Crash):
        drain(consumer, fail_on_third, batch=5)
    assert len(consumer.pending()) == 5
    time.sleep(0.03)
    handled = []
    assert drain(consumer, lambda e: handled.append(e.key), min_idle_ms=20) == 5
    assert handled == [f"log:{i}" for i in range(1, 6)]
    assert consumer.pending() == []


def test_reclaimed_entries_count_their_deliveries(stream):
    _publish(stream, 3)
    stream.consumer("g", "a").read(3)
    time.sleep(0.03)
    stream.consumer("g", "b").claim_stale(20, count=2)
    pending = stream.consumer("g", "c").pending()
    assert [(p.consumer, p.deliveries) for p in pending] == [("b", 2), ("b", 2), ("a", 1)]


def test_redis_and_memory_engines_deliver_the_same_keys(redis_url):
    results = []
    for stream in (InMemoryStream(), RedisStream.from_url(redis_url, f"parity-{next(_names)}")):
        _publish(stream, 12)
        a, b = stream.consumer("g", "a"), stream.consumer("g", "b")
        trace = [[e.key for e in a.read(5)], [e.key for e in b.read(3)]]
        time.sleep(0.03)
        trace.append([e.key for e in b.claim_stale(20, count=4)])
        trace.append([(p.consumer, p.deliveries) for p in a.pending()])
        results.append(trace)
    assert results[0] == results[1]
