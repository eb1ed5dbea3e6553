"""Property: any sequence of publish / read / ack / claim gives the same answers on both engines."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from phase5_mlops.scale_out.redis_streams import RedisStream
from phase5_mlops.scale_out.stream_script import CONSUMERS
from phase5_mlops.scale_out.stream_script import replay as run
from phase5_mlops.scale_out.streams import InMemoryStream

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


@settings(max_examples=40)
@given(ops=operations)
def test_memory_engine_answers_like_redis_streams(redis_url, ops):
    redis_stream = RedisStream.from_url(redis_url, f"property-{next(_names)}")
    assert run(InMemoryStream(), ops) == run(redis_stream, ops)
