"""A script of consumer-group operations replayed on any stream engine, answers by event key.

Both engines (in memory, Redis Streams) and the minimal version are checked by replaying the
same scripts and comparing the answers; ids differ between engines, event keys do not.
An operation is `("publish", n)`, `("read", consumer, count)`, `("ack", consumer, count)` or
`("claim", consumer, stale, count)` (with `stale` False, nothing is idle long enough).
"""

from __future__ import annotations

from typing import Any

CONSUMERS = ("a", "b", "c")
NEVER_STALE = 10**9  # ms: no entry in a script is this idle, so nothing is claimed


def replay(stream: Any, ops: list[tuple]) -> list[Any]:
    """Apply `ops` to `stream` (group "g"); each answer, then consumer a's pending list."""
    consumers = {name: stream.consumer("g", name) for name in CONSUMERS}
    published, answers = 0, []
    for op in ops:
        if op[0] == "publish":
            for _ in range(op[1]):
                published += 1
                stream.publish(f"log:{published}", {"n": published})
        elif op[0] == "read":
            answers.append([e.key for e in consumers[op[1]].read(op[2])])
        elif op[0] == "ack":
            mine = [p.id for p in consumers[op[1]].pending() if p.consumer == op[1]]
            answers.append(consumers[op[1]].ack(mine[: op[2]]))
        else:
            idle = 0 if op[2] else NEVER_STALE
            answers.append([e.key for e in consumers[op[1]].claim_stale(idle, op[3])])
        answers.append([(p.consumer, p.deliveries) for p in consumers["a"].pending()])
    return answers
