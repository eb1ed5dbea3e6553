"""The OpenAI-compatible API in-process: completions, chat, SSE, usage, metrics."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from phase0_env.common.testing import metric_sample
from phase4_llm.serving.sse_client import finish_reason, parse_sse, streamed_text
from phase4_llm.serving.text import ByteTokenizer
from phase4_llm.serving.workload import alone

KEY = {"Authorization": "Bearer k1"}
TOK = ByteTokenizer()


def _client(make_app, **overrides) -> TestClient:
    overrides.setdefault("api_keys", ["k1"])
    return TestClient(make_app(**overrides))


def test_completion_is_the_models_greedy_continuation_with_usage(make_app, tiny):
    client = _client(make_app)
    body = {"model": "tiny-gpt", "prompt": "Hello", "max_tokens": 12, "temperature": 0}
    r = client.post("/v1/completions", json=body, headers=KEY)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["object"] == "text_completion" and data["model"] == "tiny-gpt"
    choice = data["choices"][0]
    assert choice["text"] == TOK.decode(alone(tiny, TOK.encode("Hello"), 12))
    assert choice["finish_reason"] == "length"
    assert data["usage"] == {"prompt_tokens": 5, "completion_tokens": 12, "total_tokens": 17}


def test_streamed_completion_equals_the_non_streamed_text(make_app):
    client = _client(make_app)
    body = {"model": "tiny-gpt", "prompt": "Once upon", "max_tokens": 30, "temperature": 0}
    whole = client.post("/v1/completions", json=body, headers=KEY).json()
    stream_body = body | {"stream": True, "stream_options": {"include_usage": True}}
    with client.stream("POST", "/v1/completions", json=stream_body, headers=KEY) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    assert raw.endswith("data: [DONE]\n\n")
    events = parse_sse(raw.split("\n"))
    assert len(events) > 3  # really streamed in pieces
    assert streamed_text(events) == whole["choices"][0]["text"]
    assert finish_reason(events) == "length"
    assert events[-1]["choices"] == [] and events[-1]["usage"] == whole["usage"]


def test_chat_uses_the_template_and_streams_the_same_answer(make_app, tiny):
    client = _client(make_app)
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    body = {"model": "tiny-gpt", "messages": messages, "max_tokens": 20, "temperature": 0}
    data = client.post("/v1/chat/completions", json=body, headers=KEY).json()
    prompt = TOK.encode("<|system|>\nBe brief.\n<|user|>\nHi\n<|assistant|>\n")
    assert data["object"] == "chat.completion"
    assert data["usage"]["prompt_tokens"] == len(prompt)
    answer = data["choices"][0]["message"]
    assert answer == {"role": "assistant", "content": TOK.decode(alone(tiny, prompt, 20))}
    with client.stream(
        "POST", "/v1/chat/completions", json=body | {"stream": True}, headers=KEY
    ) as r:
        events = parse_sse(r.iter_lines())
    assert events[0]["choices"][0]["delta"] == {"role": "assistant"}
    assert all(e["object"] == "chat.completion.chunk" for e in events)
    assert streamed_text(events) == answer["content"]


def test_seeded_sampling_is_reproducible_over_http(make_app):
    client = _client(make_app)
    body = {"model": "tiny-gpt", "prompt": "abc", "max_tokens": 20, "temperature": 0.9, "seed": 3}
    texts = {client.post("/v1/completions", json=body, headers=KEY).json()["choices"][0]["text"]}
    texts.add(client.post("/v1/completions", json=body, headers=KEY).json()["choices"][0]["text"])
    other = client.post("/v1/completions", json=body | {"seed": 4}, headers=KEY).json()
    assert len(texts) == 1 and other["choices"][0]["text"] not in texts


def test_models_lists_the_served_model(make_app):
    data = _client(make_app).get("/v1/models").json()
    assert data["object"] == "list"
    assert [m["id"] for m in data["data"]] == ["tiny-gpt"]
    assert data["data"][0]["max_model_len"] == 256


def test_full_queue_answers_429_with_a_clear_message(make_app):
    app = make_app(max_queue=2, api_keys=["k1"])
    engine = app.state.engine
    engine.pause()  # hold the loop so queued requests stay queued
    try:
        engine.submit([1], engine_params())
        engine.submit([1], engine_params())
        r = TestClient(app).post(
            "/v1/completions", json={"model": "tiny-gpt", "prompt": "x"}, headers=KEY
        )
    finally:
        engine.pause(False)
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["retry-after"] == "1"
    assert "queue is full" in r.json()["detail"]
    assert r.json()["error"]["code"] == "queue_full"
    usage = app.state.ledger.usage["k1"]
    assert (usage.requests, usage.reserved_usd) == (0, 0.0)  # refused: nothing billed or held


def engine_params():
    from phase4_llm.serving.request import SamplingParams

    return SamplingParams(max_tokens=1)


def test_key_over_budget_is_refused_with_402_and_usage_is_counted_per_key(make_app):
    # tiny-gpt prices: 0.0001 / 0.0002 USD per 1k tokens. Worst case of 10 prompt tokens +
    # 100 max_tokens = 0.000021 USD; a budget of 0.00003 covers one such request, not two.
    client = _client(make_app, api_keys=["k1", "k2"], key_budgets_usd={"k1": 0.00003})
    body = {"model": "tiny-gpt", "prompt": "0123456789", "max_tokens": 100, "ignore_eos": True}
    assert client.post("/v1/completions", json=body, headers=KEY).status_code == 200
    refused = client.post("/v1/completions", json=body, headers=KEY)
    assert refused.status_code == 402
    assert refused.headers["content-type"] == "application/problem+json"
    assert "budget exhausted" in refused.json()["detail"]
    other = client.post("/v1/completions", json=body, headers={"x-api-key": "k2"})
    assert other.status_code == 200  # budgets are per key
    usage = client.get("/v1/usage", headers=KEY).json()
    assert (usage["requests"], usage["prompt_tokens"], usage["completion_tokens"]) == (1, 10, 100)
    assert usage["cost_usd"] == pytest.approx(10 * 0.0001 / 1000 + 100 * 0.0002 / 1000, rel=1e-12)
    assert usage["api_key"].startswith("key-") and "k1" not in usage["api_key"]


def test_metrics_expose_ttft_tpot_queue_batch_and_tokens(make_app):
    client = _client(make_app)
    body = {"model": "tiny-gpt", "prompt": "hey", "max_tokens": 8, "ignore_eos": True}
    threads = [
        threading.Thread(
            target=client.post, args=("/v1/completions",), kwargs={"json": body, "headers": KEY}
        )
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text = client.get("/metrics").text
    # One histogram observation per request (a count of requests, not a duration).
    assert metric_sample(text, "llm_time_to_first_token_seconds_count") == len(threads)
    assert metric_sample(text, "llm_time_per_output_token_seconds_count") == len(threads)
    assert "llm_queue_depth 0.0" in text and "llm_running_batch_size 0.0" in text
    assert 'llm_completion_tokens_total{api_key="key-' in text
    line = next(s for s in text.splitlines() if s.startswith("llm_completion_tokens_total"))
    assert line.endswith(" 32.0")


def test_stop_strings_cut_the_text_in_both_stream_and_whole_answers(make_app, tiny):
    client = _client(make_app)
    full = TOK.decode(alone(tiny, TOK.encode("Story:"), 40))
    stop = full[10:12]
    body = {
        "model": "tiny-gpt",
        "prompt": "Story:",
        "max_tokens": 40,
        "temperature": 0,
        "stop": [stop],
    }
    whole = client.post("/v1/completions", json=body, headers=KEY).json()["choices"][0]
    assert whole["text"] == full[: full.index(stop)] and whole["finish_reason"] == "stop"
    with client.stream("POST", "/v1/completions", json=body | {"stream": True}, headers=KEY) as r:
        events = parse_sse(r.iter_lines())
    assert streamed_text(events) == whole["text"] and finish_reason(events) == "stop"


def test_a_request_past_its_timeout_gets_504_and_frees_its_slot(make_app):
    app = make_app(api_keys=["k1"], request_timeout_s=0.001)
    body = {"model": "tiny-gpt", "prompt": "slow", "max_tokens": 200, "ignore_eos": True}
    r = TestClient(app).post("/v1/completions", json=body, headers=KEY)
    assert r.status_code == 504 and "timed out" in r.json()["detail"]
    engine = app.state.engine
    assert engine.pool.n_free == engine.pool.n_slots and engine.n_running == 0
