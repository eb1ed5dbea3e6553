"""The KV slot allocator and the scheduler: budgets, freeing, queueing, timeouts, stops."""

from __future__ import annotations

import time

import pytest

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.serving.engine import Engine
from phase4_llm.serving.kv_pool import SlotKVPool, bytes_per_token
from phase4_llm.serving.request import QueueFull, RequestError, SamplingParams
from phase4_llm.serving.text import ByteTokenizer
from phase4_llm.serving.workload import alone

KIB_PER_TOKEN = 1024  # tiny GPT: 2 (k, v) x 2 layers x 4 heads x 16 dims x 4 bytes


def _engine(model, slots: int, **kwargs) -> Engine:
    return Engine(
        model,
        eos_token_id=kwargs.pop("eos_token_id", None),
        kv_budget_bytes=slots * KIB_PER_TOKEN * model.config.block_size,
        **kwargs,
    )


def test_bytes_per_token_follows_the_config():
    import torch

    smollm2 = GPTConfig.llama(n_layer=30, n_head=9, n_kv_head=3, n_embd=576, vocab_size=49152)
    assert bytes_per_token(smollm2, torch.float32) == 2 * 30 * 3 * 64 * 4 == 46_080
    assert bytes_per_token(smollm2, torch.bfloat16) == 23_040
    tiny = GPTConfig(vocab_size=257, block_size=256, n_layer=2, n_head=4, n_embd=64)
    pool = SlotKVPool(tiny, max_len=256, budget_bytes=3 * 256 * KIB_PER_TOKEN + 5)
    assert (pool.bytes_per_token, pool.n_slots) == (KIB_PER_TOKEN, 3)
    assert pool.allocated_bytes <= 3 * 256 * KIB_PER_TOKEN + 5


def test_a_budget_below_one_slot_is_refused_with_the_numbers():
    tiny = GPTConfig(vocab_size=257, block_size=256, n_layer=2, n_head=4, n_embd=64)
    with pytest.raises(ValueError, match="below one slot"):
        SlotKVPool(tiny, max_len=256, budget_bytes=1000)


def test_allocator_hands_out_lowest_free_slot_and_rejects_double_free():
    tiny = GPTConfig(vocab_size=257, block_size=16, n_layer=1, n_head=1, n_embd=8)
    pool = SlotKVPool(tiny, max_len=16, budget_bytes=10**6)
    a, b, c = pool.allocate(), pool.allocate(), pool.allocate()
    assert (a, b, c) == (0, 1, 2)
    pool.free(b)
    assert pool.allocate() == 1
    pool.free(a)
    with pytest.raises(ValueError, match="not allocated"):
        pool.free(a)


def test_slot_is_freed_on_completion(tiny):
    engine = _engine(tiny, slots=2)
    h = engine.submit([1, 2, 3], SamplingParams(max_tokens=5))
    engine.step()
    assert engine.pool.n_free == 1 and h.slot is not None
    engine.run_until_idle()
    assert h.finish_reason == "length" and len(h.output_ids) == 5
    assert engine.pool.n_free == 2 and h.slot is None


def test_cancel_mid_decode_frees_the_slot_and_stops_generation(tiny):
    engine = _engine(tiny, slots=2)
    h = engine.submit([5, 6], SamplingParams(max_tokens=100))
    for _ in range(3):
        engine.step()
    engine.cancel(h)
    engine.step()
    assert h.finish_reason == "cancelled" and h.done.is_set()
    assert len(h.output_ids) == 3 and engine.pool.n_free == 2


def test_timeout_frees_a_running_slot_and_drops_a_waiting_request(tiny):
    engine = _engine(tiny, slots=1)
    running = engine.submit([1], SamplingParams(max_tokens=100), timeout_s=0.05)
    waiting = engine.submit([2], SamplingParams(max_tokens=100), timeout_s=0.05)
    engine.step()
    assert engine.n_running == 1 and engine.queue_depth == 1
    time.sleep(0.1)
    engine.step()
    assert (running.finish_reason, waiting.finish_reason) == ("timeout", "timeout")
    assert waiting.output_ids == [] and engine.pool.n_free == 1 and engine.queue_depth == 0


def test_requests_wait_for_a_free_slot_then_run(tiny):
    engine = _engine(tiny, slots=1)
    first = engine.submit([1, 2], SamplingParams(max_tokens=3))
    second = engine.submit([3, 4], SamplingParams(max_tokens=3))
    engine.step()
    assert engine.n_running == 1 and engine.queue_depth == 1
    engine.run_until_idle()
    assert second.admitted_step >= first.finished_step
    assert second.output_ids == alone(tiny, [3, 4], 3)


def test_full_queue_raises_queue_full(tiny):
    engine = _engine(tiny, slots=1, max_queue=2)
    engine.submit([1], SamplingParams())
    engine.submit([1], SamplingParams())
    with pytest.raises(QueueFull, match="queue is full"):
        engine.submit([1], SamplingParams())


def test_max_batch_tokens_splits_prefills_across_steps(tiny):
    engine = _engine(tiny, slots=4, max_batch_tokens=15)
    a = engine.submit(list(range(10)), SamplingParams(max_tokens=2))
    b = engine.submit(list(range(10)), SamplingParams(max_tokens=2))
    engine.step()
    assert a.admitted_step == 1 and b.admitted_step is None
    engine.run_until_idle()
    assert b.output_ids == alone(tiny, list(range(10)), 2)
    with pytest.raises(RequestError, match="max_batch_tokens"):
        engine.submit(list(range(16)), SamplingParams(max_tokens=2))


@pytest.mark.parametrize(
    ("prompt", "params", "field"),
    [
        ([], SamplingParams(), "prompt"),
        ([1] * 256, SamplingParams(), "prompt"),
        ([1] * 200, SamplingParams(max_tokens=60), "max_tokens"),
        ([1], SamplingParams(max_tokens=0), "max_tokens"),
        ([300], SamplingParams(), "prompt"),
        ([1], SamplingParams(temperature=-1), "temperature"),
        ([1], SamplingParams(top_p=0), "top_p"),
    ],
)
def test_bad_requests_name_the_field(tiny, prompt, params, field):
    engine = _engine(tiny, slots=1)
    with pytest.raises(RequestError) as info:
        engine.submit(prompt, params)
    assert info.value.field == field


def test_eos_stops_a_request_and_is_counted_but_not_returned(tiny):
    ref = alone(tiny, [7, 8, 9], 10)
    eos = ref[3]
    engine = _engine(tiny, slots=1, eos_token_id=eos)
    h = engine.submit([7, 8, 9], SamplingParams(max_tokens=10))
    engine.run_until_idle()
    cut = ref.index(eos)
    assert h.finish_reason == "stop" and h.output_ids == ref[:cut]
    assert h.completion_tokens == cut + 1
    ignoring = engine.submit([7, 8, 9], SamplingParams(max_tokens=10, ignore_eos=True))
    engine.run_until_idle()
    assert ignoring.output_ids == ref


def test_stop_string_truncates_the_text(tiny):
    tok = ByteTokenizer()
    ref_text = tok.decode(alone(tiny, tok.encode("Hi"), 20))
    stop = ref_text[5:7]
    engine = _engine(tiny, slots=1, decode=tok.decode)
    h = engine.submit(tok.encode("Hi"), SamplingParams(max_tokens=20, stop=(stop,)))
    engine.run_until_idle()
    assert h.finish_reason == "stop"
    assert h.text == ref_text[: ref_text.index(stop)]
