"""Continuous batching never changes a request's tokens: batched == the request run alone.

Float32 throughout (what the server runs). The reference is `phase4_llm.gpt.generate` on one
request; exact equality is expected because each row has its own KV slot, positions and mask.
"""

from __future__ import annotations

import threading
import time

import pytest
import torch

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT
from phase4_llm.serving.engine import Engine
from phase4_llm.serving.request import SamplingParams
from phase4_llm.serving.workload import alone, mixed_prompts


def _engine(model, slots: int = 6, **kwargs) -> Engine:
    per_slot = 2 * 2 * 4 * 16 * 4 * model.config.block_size  # tiny GPT: 1 KiB per token
    return Engine(model, eos_token_id=None, kv_budget_bytes=slots * per_slot, **kwargs)


def test_sixteen_requests_arriving_while_others_decode_match_each_alone(tiny):
    requests = mixed_prompts(16, seed=1)
    engine = _engine(tiny, slots=6)
    handles = []
    batch_sizes = []
    # Arrivals in waves of 1-3 requests between decoding steps: requests join a running batch.
    pending = list(requests)
    wave = 0
    while pending or engine.n_running or engine.queue_depth:
        for prompt, k in pending[: 1 + wave % 3]:
            handles.append(engine.submit(prompt, SamplingParams(max_tokens=k)))
        pending = pending[1 + wave % 3 :]
        wave += 1
        engine.step()
        batch_sizes.append(engine.n_running)
    for h, (prompt, k) in zip(handles, requests, strict=True):
        assert h.finish_reason == "length"
        assert h.output_ids == alone(tiny, prompt, k), f"request {h.id} differs from alone"
    # It really interleaved: some request was admitted while another was mid-decode.
    joined_mid_flight = [
        (a, b)
        for a in handles
        for b in handles
        if a.admitted_step < b.admitted_step < a.finished_step
    ]
    assert joined_mid_flight, "no request joined a running batch"
    assert max(batch_sizes) == 6 and engine.pool.n_free == engine.pool.n_slots


def test_threaded_clients_through_the_background_loop_match_each_alone(tiny):
    requests = mixed_prompts(16, seed=2)
    expected = [alone(tiny, p, k) for p, k in requests]
    engine = _engine(tiny, slots=8).start()
    results: list = [None] * 16

    def client(i: int) -> None:
        time.sleep(0.003 * i)  # staggered arrivals while earlier requests decode
        prompt, k = requests[i]
        results[i] = engine.submit(prompt, SamplingParams(max_tokens=k)).wait(120)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        engine.stop()
    assert [h.output_ids for h in results] == expected
    total_tokens = sum(len(e) for e in expected)
    assert engine.steps < total_tokens, "every token took its own step: nothing was batched"


def test_seeded_sampling_in_a_batch_equals_the_same_seed_alone(tiny):
    requests = mixed_prompts(8, seed=3)
    engine = _engine(tiny, slots=8)
    handles = [
        engine.submit(p, SamplingParams(max_tokens=k, temperature=0.8, top_p=0.9, seed=i))
        for i, (p, k) in enumerate(requests)
    ]
    engine.run_until_idle()
    for i, (h, (p, k)) in enumerate(zip(handles, requests, strict=True)):
        ref = alone(tiny, p, k, do_sample=True, temperature=0.8, top_p=0.9, seed=i)
        assert h.output_ids == ref


@pytest.mark.parametrize("position", ["rotary", "sinusoidal"])
def test_grouped_query_and_other_positions_batch_exactly(position):
    torch.manual_seed(5)
    cfg = GPTConfig.llama(vocab_size=257, block_size=96, n_head=4, n_kv_head=2, n_embd=32)
    cfg.position = position
    model = GPT(cfg).eval()
    requests = mixed_prompts(6, seed=4)
    engine = Engine(model, eos_token_id=None, kv_budget_bytes=10**7, max_running=4)
    handles = [engine.submit(p, SamplingParams(max_tokens=k)) for p, k in requests[:3]]
    engine.step()
    engine.step()
    handles += [engine.submit(p, SamplingParams(max_tokens=k)) for p, k in requests[3:]]
    engine.run_until_idle()
    assert [h.output_ids for h in handles] == [alone(model, p, k) for p, k in requests]
