"""Property: any sequence of publish / read / ack / claim gives the same answers on both engines."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from phase5_mlops.scale_out.redis_streams import RedisStream
from phase5_mlops.scale_out.streams import InMemoryStream

CONSUMERS = ("a", "b", "c")
NEVER_STALE = 10**9  # ms: an entry this idle does not occur in a test, so nothing is claimed
_names = itertools.count()

operations = st.lists(
    st.one_of(
        st.tuples(st.just("publish"), st.integers(1, 4)),
        st.tuples(st.just("read"), st.sampled_from(CONSUMERS), st.integers(1, 5)),
        st.tuples(st.just("ack"), st.sampled_from(CONSUMERS), st.integers(0, 3)),
        st.tuples(st.just("claim"), st.sampled_from(CONSUMERS), st.booleans(), st.integers(1, 4)),
    ),
    max_size=25,
)


def run(stream, ops):
    """Apply `ops`; every answer is recorded by event key, never by engine-specific id."""
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


@settings(max_examples=40)
@given(ops=operations)
def test_memory_engine_answers_like_redis_streams(redis_url, ops):
    redis_stream = RedisStream.from_url(redis_url, f"property-{next(_names)}")
    assert run(InMemoryStream(), ops) == run(redis_stream, ops)
