"""One request's extreme parameters or broken logits never fail another request in its batch.

The regression (issue 18): a schema-valid `temperature` of 1e-300 rounds to 0 in float32, the
sampler divided by it and drew from NaN probabilities, the whole engine step raised and every
request in the batch ended with an error. Now each row is chosen on its own: extreme values
are sampled safely (float64, log space) and a row with no finite logit ends alone.
"""

from __future__ import annotations

import threading

import pytest
import torch
from fastapi.testclient import TestClient

import phase4_llm.serving.engine as engine_module
from phase4_llm.serving.engine import Engine
from phase4_llm.serving.request import RequestHandle, SamplingParams
from phase4_llm.serving.row_sampler import SamplingError, safe_probs, sample_rows
from phase4_llm.serving.workload import alone, mixed_prompts

SAMPLED = dict(temperature=0.8, top_p=0.9, top_k=50)


def _engine(model, slots: int = 8) -> Engine:
    per_slot = 2 * 2 * 4 * 16 * 4 * model.config.block_size  # tiny GPT: 1 KiB per token
    return Engine(model, eos_token_id=None, kv_budget_bytes=slots * per_slot)


def _normal_params(i: int, k: int) -> SamplingParams:
    if i % 2:  # odd requests sample with their own seed, even ones are greedy
        return SamplingParams(max_tokens=k, seed=i, **SAMPLED)  # type: ignore[arg-type]
    return SamplingParams(max_tokens=k)


def _alone(model, i: int, prompt: list[int], k: int) -> list[int]:
    if i % 2:
        return alone(model, prompt, k, do_sample=True, seed=i, **SAMPLED)
    return alone(model, prompt, k)


POISONS = {
    "temperature 1e-300": dict(temperature=1e-300, seed=7),
    "temperature 1e-300, top_p 1e-300, top_k 1": dict(
        temperature=1e-300, top_p=1e-300, top_k=1, seed=7
    ),
    "temperature 2, top_k 10**9": dict(temperature=2.0, top_k=10**9, seed=7),
    "temperature 1e-40 (float32 denormal)": dict(temperature=1e-40, seed=7),
}


@pytest.mark.parametrize("poison", list(POISONS), ids=list(POISONS))
def test_eight_concurrent_requests_one_poisoned_the_others_match_alone(tiny, poison):
    requests = mixed_prompts(8, seed=11, max_new=24)
    expected = {i: _alone(tiny, i, p, k) for i, (p, k) in enumerate(requests) if i != 3}
    engine = _engine(tiny, slots=8).start()
    results: list[RequestHandle | None] = [None] * 8

    def client(i: int) -> None:
        prompt, k = requests[i]
        params = _normal_params(i, k)
        if i == 3:
            params = SamplingParams(max_tokens=k, **POISONS[poison])  # type: ignore[arg-type]
        results[i] = engine.submit(prompt, params).wait(120)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        engine.stop()
    for i, want in expected.items():
        h = results[i]
        assert h is not None and h.finish_reason == "length", f"request {i}: {h}"
        assert h.output_ids == want, f"request {i} changed because of its neighbour"
    poisoned = results[3]
    assert poisoned is not None and poisoned.finish_reason == "length"
    assert len(poisoned.output_ids) == requests[3][1]
    assert engine.pool.n_free == engine.pool.n_slots


def test_a_vanishing_temperature_samples_the_greedy_tokens(tiny):
    prompt, k = mixed_prompts(1, seed=12, max_new=20)[0]
    engine = _engine(tiny, slots=2)
    h = engine.submit(prompt, SamplingParams(max_tokens=k, temperature=1e-300, seed=1))
    engine.run_until_idle()
    # The limit of softmax(logits / T) as T -> 0 is the argmax (no exact ties in a random model).
    assert h.finish_reason == "length" and h.output_ids == alone(tiny, prompt, k)


def test_a_row_without_finite_logits_ends_alone_with_an_error(tiny, monkeypatch):
    requests = mixed_prompts(6, seed=13, max_new=16)
    expected = [_alone(tiny, i, p, k) for i, (p, k) in enumerate(requests)]
    engine = _engine(tiny, slots=8)
    bad = engine.submit([1, 2, 3], SamplingParams(max_tokens=16, seed=3, **SAMPLED))  # type: ignore[arg-type]
    handles = [engine.submit(p, _normal_params(i, k)) for i, (p, k) in enumerate(requests)]
    real_forward = engine_module.forward_batch

    def forward_with_nan_row(model, pool, tokens, n_new, past, slots):  # type: ignore[no-untyped-def]
        logits = real_forward(model, pool, tokens, n_new, past, slots)
        # The model "breaks" on this request only, from its third token on.
        if bad.slot in slots and len(bad.output_ids) >= 2:
            logits[slots.index(bad.slot)] = float("nan")
        return logits

    monkeypatch.setattr(engine_module, "forward_batch", forward_with_nan_row)
    engine.run_until_idle()
    assert bad.finish_reason == "error" and len(bad.output_ids) == 2
    assert [h.finish_reason for h in handles] == ["length"] * 6
    assert [h.output_ids for h in handles] == expected
    assert engine.pool.n_free == engine.pool.n_slots


def test_the_api_serves_a_schema_valid_extreme_temperature(make_app):
    client = TestClient(make_app(api_keys=["k1"]))
    body = {"model": "tiny-gpt", "prompt": "hello", "max_tokens": 8, "ignore_eos": True}
    greedy = client.post(
        "/v1/completions", json=body | {"temperature": 0}, headers={"X-API-Key": "k1"}
    )
    tiny_t = client.post(
        "/v1/completions", json=body | {"temperature": 1e-300}, headers={"X-API-Key": "k1"}
    )
    assert greedy.status_code == tiny_t.status_code == 200, tiny_t.text
    assert tiny_t.json()["choices"][0]["text"] == greedy.json()["choices"][0]["text"]


# -- the row sampler alone ------------------------------------------------------------------


def _handle(**params: object) -> RequestHandle:
    return RequestHandle(id="r", prompt_ids=[1], params=SamplingParams(**params))  # type: ignore[arg-type]


def test_safe_probs_is_the_limit_distribution_for_extreme_inputs():
    logits = torch.tensor([[1.0, 3.0, 2.0, 3.0 - 1e-6]])
    p = safe_probs(logits, SamplingParams(temperature=1e-300))
    assert p.tolist() == [[0.0, 1.0, 0.0, 0.0]]
    inf_logits = torch.tensor([[0.0, float("inf"), 5.0, float("inf")]])
    p = safe_probs(inf_logits, SamplingParams(temperature=0.7))
    assert p.tolist() == [[0.0, 0.5, 0.0, 0.5]]  # +inf tokens share the mass
    # Ordinary values: equal to the usual softmax(logits / T) (float64, rtol 1e-7).
    x = torch.randn(1, 50, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    want = (x / 0.7).softmax(dim=-1)
    torch.testing.assert_close(
        safe_probs(x, SamplingParams(temperature=0.7)), want, rtol=1e-7, atol=0
    )


def test_nan_logits_are_never_chosen_and_an_all_nan_row_fails_alone():
    nan = float("nan")
    logits = torch.tensor(
        [
            [nan, 0.5, 2.0, nan],  # greedy with NaN: the best finite logit
            [nan, nan, 4.0, nan],  # sampled with NaN: only the finite token can be drawn
            [nan, nan, nan, nan],  # nothing finite: this row fails
            [0.1, 0.2, 0.9, 0.3],  # untouched
        ]
    )
    rows = [
        _handle(),
        _handle(temperature=1.0, seed=0),
        _handle(temperature=1.0, seed=0),
        _handle(),
    ]
    tokens, failed = sample_rows(rows, logits)
    assert tokens == [2, 2, None, 2]
    assert list(failed) == [2] and isinstance(failed[2], SamplingError)
