"""Hostile clients (issue 18): oversized prompts, guessed-key probes, rate-limit bypasses.

Each test here failed on the server before the fix: a ~1 MB chat body was templated and
tokenized on the event loop before its 400; `/metrics` labelled keys by sha256(key)[:8]
(anyone could confirm a guessed key) and, on an open server, by whatever key a client sent;
the rate limit keyed on the raw `X-API-Key` header, so a valid bearer token plus a fresh bogus
`X-API-Key` (or a fresh fake key per request) was never limited (fixed in the kit, which
serving now relies on: these tests pin it for serving's two key headers).
"""

from __future__ import annotations

import hashlib
import json
import threading

import pytest
from fastapi.testclient import TestClient

from phase4_llm.serving.models import ServedModel
from phase4_llm.serving.service import ServingSettings, create_app
from phase4_llm.serving.text import ByteTokenizer

OK = {"model": "tiny-gpt", "prompt": "hello", "max_tokens": 1}


class RecordingTokenizer(ByteTokenizer):
    """The byte tokenizer, recording each call; `encode` can be held until released."""

    def __init__(self, hold: bool = False) -> None:
        self.calls: list[str] = []
        self.events: list[str] = []
        self.started, self.release = threading.Event(), threading.Event()
        self.hold = hold

    def chat_prompt(self, messages: list[dict[str, str]]) -> str:
        self.calls.append("chat_prompt")
        return super().chat_prompt(messages)

    def encode(self, text: str) -> list[int]:
        self.calls.append("encode")
        if self.hold:
            self.started.set()
            self.release.wait(10)  # only breaks a deadlock; the test asserts on event order
        self.events.append("encode finished")
        return super().encode(text)


@pytest.fixture
def build(tiny):
    apps = []

    def make(tokenizer=None, **overrides):  # type: ignore[no-untyped-def]
        base = dict(model="tiny-gpt", max_model_len=256, kv_cache_budget_mb=4, log_level="WARNING")
        settings = ServingSettings(**(base | overrides))
        served = ServedModel("tiny-gpt", tiny, tokenizer or ByteTokenizer(), 256)
        app = create_app(settings, served)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.engine.stop()


# -- oversized bodies never reach the tokenizer; tokenizing never blocks the loop -------------


def test_a_megabyte_chat_body_is_refused_before_parsing_or_tokenizing(build):
    tok = RecordingTokenizer()
    client = TestClient(build(tok, api_keys=["k1"]))
    messages = [{"role": "user", "content": "x" * 99_000} for _ in range(10)]
    body = json.dumps({"model": "tiny-gpt", "messages": messages}).encode()
    assert 900_000 < len(body) < 1_000_000  # under the kit's 1 MB default, over ours
    r = client.post(
        "/v1/chat/completions",
        content=body,
        headers={"X-API-Key": "k1", "content-type": "application/json"},
    )
    assert r.status_code == 413, r.text
    assert tok.calls == []


def test_a_chat_that_cannot_fit_the_context_is_refused_by_counting_characters(build):
    tok = RecordingTokenizer()
    client = TestClient(build(tok, api_keys=["k1"]))
    messages = [{"role": "user", "content": "y" * 30_000} for _ in range(4)]  # 120 KB < cap
    r = client.post(
        "/v1/chat/completions",
        json={"model": "tiny-gpt", "messages": messages},
        headers={"X-API-Key": "k1"},
    )
    assert r.status_code == 400 and "messages" in r.json()["detail"], r.text
    assert "120000 characters" in r.json()["detail"]
    r = client.post("/v1/completions", json=OK | {"prompt": "z" * 300}, headers={"X-API-Key": "k1"})
    assert r.status_code == 400 and "prompt" in r.json()["detail"]
    assert tok.calls == []  # refused without templating or tokenizing anything


def test_healthz_is_answered_while_a_prompt_is_being_tokenized(build):
    tok = RecordingTokenizer(hold=True)
    app = build(tok, api_keys=["k1"])
    with TestClient(app) as client:  # one event loop serves both threads' requests
        result: dict[str, int] = {}

        def chat() -> None:
            messages = [{"role": "user", "content": "hello"}]
            body = {"model": "tiny-gpt", "messages": messages, "max_tokens": 2}
            r = client.post("/v1/chat/completions", json=body, headers={"X-API-Key": "k1"})
            result["status"] = r.status_code

        worker = threading.Thread(target=chat)
        worker.start()
        assert tok.started.wait(30), "the chat request never reached the tokenizer"
        health = client.get("/healthz")  # the loop must not be blocked by the tokenizer
        tok.events.append("healthz answered")
        tok.release.set()
        worker.join(60)
    assert health.status_code == 200
    assert tok.events == ["healthz answered", "encode finished"]
    assert result["status"] == 200


# -- key labels: not computable from the key; bounded on an open server -------------------


def _label_in_metrics(client: TestClient, key: str) -> tuple[str, str]:
    r = client.post("/v1/completions", json=OK, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200, r.text
    label = client.get("/v1/usage", headers={"Authorization": f"Bearer {key}"}).json()["api_key"]
    return label, client.get("/metrics").text


def test_a_key_label_needs_the_servers_secret(build):
    key = "sk-guessable-1234"
    plain_hash = hashlib.sha256(key.encode()).hexdigest()
    labels = []
    for secret in ("secret-a", "secret-b", "secret-a"):
        client = TestClient(build(api_keys=[key], key_hash_salt=secret))
        label, metrics = _label_in_metrics(client, key)
        assert f'api_key="{label}"' in metrics
        assert plain_hash[:8] not in metrics and key not in metrics
        labels.append(label)
    # Same key, another secret: another label (the key alone does not determine it); the
    # same secret gives the same label (stable across restarts when the secret is set).
    assert labels[0] != labels[1] and labels[0] == labels[2]
    unset = [TestClient(build(api_keys=[key])) for _ in range(2)]
    assert _label_in_metrics(unset[0], key)[0] != _label_in_metrics(unset[1], key)[0]


def test_an_open_server_bills_every_caller_as_anonymous(build):
    client = TestClient(build(api_keys=[]))
    for i in range(5):
        r = client.post("/v1/completions", json=OK, headers={"X-API-Key": f"made-up-{i}"})
        assert r.status_code == 200
    metrics = client.get("/metrics").text
    assert "made-up" not in metrics and "key-" not in metrics
    assert 'llm_prompt_tokens_total{api_key="anonymous"} 25.0' in metrics


# -- rate limits apply after authentication ------------------------------------------------


def test_a_valid_bearer_plus_fresh_bogus_x_api_keys_is_still_limited(build):
    client = TestClient(build(api_keys=["k1"], rate_limit_per_minute=3))
    statuses = [
        client.post(
            "/v1/completions",
            json=OK,
            headers={"Authorization": "Bearer k1", "X-API-Key": f"bogus-{i}"},
        ).status_code
        for i in range(6)
    ]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_fresh_fake_keys_share_the_clients_bucket_and_do_not_starve_a_valid_key(build):
    client = TestClient(build(api_keys=["k1"], rate_limit_per_minute=3))
    fake = [
        client.post("/v1/completions", json=OK, headers={"X-API-Key": f"fake-{i}"})
        for i in range(6)
    ]
    assert [r.status_code for r in fake] == [401, 401, 401, 429, 429, 429]
    assert all(int(r.headers["retry-after"]) >= 1 for r in fake[3:])
    valid = client.post("/v1/completions", json=OK, headers={"X-API-Key": "k1"})
    assert valid.status_code == 200
