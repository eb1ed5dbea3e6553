"""The minimal consumer-group stream against Redis Streams and the full in-memory engine."""

from __future__ import annotations

import itertools
import random

from phase0_env.common.parity import assert_parity
from phase5_mlops.scale_out import minimal
from phase5_mlops.scale_out.stream_script import CONSUMERS, NEVER_STALE, replay
from phase5_mlops.scale_out.streams import InMemoryStream

_names = itertools.count()


def scripts(seed: int, n: int) -> list[list[tuple]]:
    """n seeded sequences of publish / read / ack / claim operations."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        ops: list[tuple] = []
        for _ in range(rng.randint(5, 25)):
            kind = rng.choice(["publish", "read", "ack", "claim"])
            if kind == "publish":
                ops.append((kind, rng.randint(1, 4)))
            elif kind == "claim":
                ops.append((kind, rng.choice(CONSUMERS), rng.random() < 0.5, rng.randint(1, 4)))
            else:
                ops.append((kind, rng.choice(CONSUMERS), rng.randint(0 if kind == "ack" else 1, 5)))
        out.append(ops)
    return out


def run_minimal(ops: list[tuple]) -> list:
    """Answers of the minimal stream, by event key (ids differ between engines)."""
    s, published, answers = minimal.Stream(), 0, []
    for op in ops:
        if op[0] == "publish":
            for _ in range(op[1]):
                published += 1
                s.add(f"log:{published}")
        elif op[0] == "read":
            answers.append(s.read_group("g", op[1], op[2], now_ms=0))
        elif op[0] == "ack":
            mine = [i for i, c, _ in s.pending("g") if c == op[1]]
            answers.append(s.ack("g", mine[: op[2]]))
        else:
            idle = 0 if op[2] else NEVER_STALE
            answers.append(s.claim("g", op[1], idle, op[3], now_ms=0))
        answers.append([(c, n) for _, c, n in s.pending("g")])
    return [repr(a) for a in answers]  # one string per answer: a flat list to compare


def run_full(stream, ops: list[tuple]) -> list:
    """The same operations through the full engine interface."""
    return [repr(a) for a in replay(stream, ops)]


def test_minimal_answers_like_the_full_in_memory_engine():
    for i, ops in enumerate(scripts(0, 60)):
        assert_parity(
            run_minimal(ops),
            run_full(InMemoryStream(), ops),
            reference="full version",
            exact=True,
            name=f"script {i}",
        )


def test_minimal_answers_like_redis_streams(redis_url):
    from phase5_mlops.scale_out.redis_streams import RedisStream

    for i, ops in enumerate(scripts(1, 30)):
        stream = RedisStream.from_url(redis_url, f"minimal-{next(_names)}")
        assert_parity(
            run_minimal(ops),
            run_full(stream, ops),
            reference="redis streams",
            exact=True,
            name=f"redis script {i}",
        )


def test_a_crashed_consumer_s_entries_are_claimed_after_the_idle_time():
    s = minimal.Stream()
    for k in range(5):
        s.add(f"log:{k}")
    assert s.read_group("g", "a", 3, now_ms=0) == ["log:0", "log:1", "log:2"]
    assert s.ack("g", [1]) == 1  # a handled one entry, then crashed
    assert s.claim("g", "b", min_idle_ms=1000, count=10, now_ms=999) == []  # not stale yet
    assert s.claim("g", "b", min_idle_ms=1000, count=10, now_ms=1000) == ["log:1", "log:2"]
    assert s.pending("g") == [(2, "b", 2), (3, "b", 2)]
    assert s.read_group("g", "b", 10, now_ms=1000) == ["log:3", "log:4"]
