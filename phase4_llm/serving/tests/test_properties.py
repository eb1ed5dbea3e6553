"""Properties over random arrival schedules and texts (hypothesis, repo profile)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from phase4_llm.serving.engine import Engine
from phase4_llm.serving.models import tiny_gpt
from phase4_llm.serving.request import SamplingParams, safe_prefix, stop_position
from phase4_llm.serving.workload import alone

MODEL = tiny_gpt(seed=0)
REQUEST = st.tuples(
    st.lists(st.integers(0, 255), min_size=1, max_size=24),  # prompt
    st.integers(1, 12),  # max_tokens
    st.integers(0, 6),  # engine steps to wait before this request arrives
)


@settings(max_examples=15)
@given(requests=st.lists(REQUEST, min_size=1, max_size=6), slots=st.integers(1, 4))
def test_any_arrival_schedule_gives_each_request_its_alone_tokens(requests, slots):
    engine = Engine(MODEL, eos_token_id=None, kv_budget_bytes=slots * 1024 * 256)
    handles = []
    for prompt, k, wait in requests:
        for _ in range(wait):
            engine.step()
        handles.append(engine.submit(prompt, SamplingParams(max_tokens=k)))
    engine.run_until_idle()
    for h, (prompt, k, _) in zip(handles, requests, strict=True):
        assert h.output_ids == alone(MODEL, prompt, k)
    assert engine.pool.n_free == engine.pool.n_slots


@given(text=st.text(max_size=40), stop=st.text(min_size=1, max_size=4))
def test_streamed_prefix_never_contains_a_stop_string_and_prefixes_the_text(text, stop):
    cut = stop_position(text, (stop,), 0)
    final = text if cut is None else text[:cut]
    ready = safe_prefix(final, (stop,))
    assert final.startswith(ready)
    assert stop not in ready


def test_stop_position_and_safe_prefix_examples():
    assert stop_position("ab.cd", (".",), 0) == 2
    assert stop_position("abcd", ("x", "cd", "bc"), 0) == 1
    assert safe_prefix("hello wor", ("world",)) == "hello"
    assert safe_prefix("caf\ufffd", ()) == "caf"
