"""Clients that drop non-streamed requests free their KV slots: a real uvicorn process.

The regression (issue 18): a non-streamed request waited on `request.is_disconnected()`, which
never turns True behind the kit's BaseHTTPMiddleware, so every dropped request decoded to
`max_tokens` in its slot and a handful of them kept everyone else queued. Each engine step is
slowed to 20 ms here, so a 200-token request outlives its client by seconds.
"""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from phase0_env.common.testing import metric_sample, run_uvicorn

FACTORY = "phase4_llm.serving.tests.slow_app:create_app"
N_DROPPED = 6  # > the 2 KV slots: 2 run, 4 queue


def _env() -> dict[str, str]:
    return {
        "SERVING_MODEL": "tiny-gpt",
        "SERVING_MAX_MODEL_LEN": "256",
        "SERVING_KV_CACHE_BUDGET_MB": "0.5",  # 256 KiB a slot (1 KiB a token): 2 slots
        "SERVING_LOG_LEVEL": "WARNING",
        "SERVING_TEST_STEP_DELAY_S": "0.02",
        "OMP_NUM_THREADS": "1",
    }


def _metrics(client: httpx.Client) -> str:
    return client.get("/metrics").text


def _finished(text: str, reason: str) -> float:
    try:
        return metric_sample(text, "llm_requests_finished_total", {"finish_reason": reason})
    except KeyError:
        return 0.0


def _poll(client: httpx.Client, done, tries: int = 300) -> str:  # type: ignore[no-untyped-def]
    """Scrape /metrics until `done(text)` holds (at most `tries` scrapes); the last text."""
    text = _metrics(client)
    for _ in range(tries):
        if done(text):
            break
        text = _metrics(client)
    return text


@pytest.mark.service
def test_dropped_non_streamed_requests_free_their_slots(tmp_path):
    body = json.dumps(
        {"model": "tiny-gpt", "prompt": "hi", "max_tokens": 200, "ignore_eos": True}
    ).encode()
    head = (
        b"POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    with run_uvicorn(FACTORY, env=_env(), log_dir=str(tmp_path), timeout=120) as server:
        client = httpx.Client(base_url=server.url, timeout=60)
        assert metric_sample(_metrics(client), "llm_kv_slots_free") == 2
        socks = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(N_DROPPED)]
        for s in socks:
            s.sendall(head + body)
        text = _poll(
            client,
            lambda t: (
                metric_sample(t, "llm_running_batch_size") == 2
                and metric_sample(t, "llm_queue_depth") == N_DROPPED - 2
            ),
        )
        assert metric_sample(text, "llm_kv_slots_free") == 0, "the requests never took the slots"
        for s in socks:
            s.close()

        fresh = {
            "model": "tiny-gpt",
            "prompt": "hello",
            "max_tokens": 4,
            "temperature": 0,
            "ignore_eos": True,
        }
        r = client.post("/v1/completions", json=fresh)
        assert r.status_code == 200, r.text
        text = _poll(client, lambda t: _finished(t, "cancelled") == N_DROPPED)
        # Every dropped request was cancelled (none decoded to max_tokens); only the fresh one
        # finished normally, and all slots are free again.
        assert _finished(text, "cancelled") == N_DROPPED
        assert _finished(text, "length") == 1
        assert metric_sample(text, "llm_kv_slots_free") == 2
        assert metric_sample(text, "llm_running_batch_size") == 0
        dropped_tokens = metric_sample(text, "llm_completion_tokens_total") - 4
        assert dropped_tokens < 2 * 200, "the dropped requests kept decoding"
