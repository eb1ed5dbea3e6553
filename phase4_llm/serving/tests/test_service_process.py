"""The server as a real uvicorn process, spoken to in the OpenAI wire format over httpx.

httpx stands in for the `openai` SDK (not installed): same paths, same JSON, same SSE, the
key in `Authorization: Bearer`.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from phase0_env.common.testing import run_uvicorn
from phase4_llm.serving.sse_client import finish_reason, parse_sse, streamed_text

FACTORY = "phase4_llm.serving.service:create_app"
AUTH = {"Authorization": "Bearer sk-test"}


def _env() -> dict[str, str]:
    return {
        "SERVING_MODEL": "tiny-gpt",
        "SERVING_MAX_MODEL_LEN": "256",
        "SERVING_KV_CACHE_BUDGET_MB": "2",
        "SERVING_API_KEYS": '["sk-test"]',
        "SERVING_LOG_LEVEL": "WARNING",
        "OMP_NUM_THREADS": "1",
    }


@pytest.mark.service
def test_real_server_speaks_the_openai_wire_format(tmp_path):
    with run_uvicorn(FACTORY, env=_env(), log_dir=str(tmp_path), timeout=120) as server:
        client = httpx.Client(base_url=server.url, headers=AUTH, timeout=60)
        models = client.get("/v1/models").json()
        assert models["data"][0]["id"] == "tiny-gpt"
        body = {
            "model": "tiny-gpt",
            "prompt": "The quick brown fox",
            "max_tokens": 24,
            "temperature": 0,
        }
        r = client.post("/v1/completions", json=body)
        assert r.status_code == 200, r.text
        data = r.json()
        assert set(data) >= {"id", "object", "created", "model", "choices", "usage"}
        assert data["object"] == "text_completion" and data["id"].startswith("cmpl-")
        assert data["usage"]["prompt_tokens"] == len(b"The quick brown fox")
        with client.stream("POST", "/v1/completions", json=body | {"stream": True}) as s:
            assert s.headers["content-type"].startswith("text/event-stream")
            events = parse_sse(s.iter_lines())
        assert streamed_text(events) == data["choices"][0]["text"]
        assert finish_reason(events) == data["choices"][0]["finish_reason"]

        # 16 concurrent clients: every answer equals its sequential answer.
        prompts = [f"request number {i} " * (1 + i % 5) for i in range(16)]

        def ask(p: str) -> str:
            one = client.post("/v1/completions", json=body | {"prompt": p, "max_tokens": 16})
            return one.json()["choices"][0]["text"]

        sequential = [ask(p) for p in prompts]
        with ThreadPoolExecutor(16) as pool:
            assert list(pool.map(ask, prompts)) == sequential

        # A client that walks away mid-stream leaves no request running.
        long_body = body | {"stream": True, "max_tokens": 200, "ignore_eos": True}
        with client.stream("POST", "/v1/completions", json=long_body) as s:
            next(s.iter_lines())
        metrics = ""
        for _ in range(100):
            metrics = client.get("/metrics").text
            if re.search(r"^llm_running_batch_size 0\.0$", metrics, re.M):
                break
        assert re.search(r"^llm_running_batch_size 0\.0$", metrics, re.M)
        assert re.search(r"^llm_kv_slots_free 8\.0$", metrics, re.M)
        assert (
            client.post(
                "/v1/completions", json=body, headers={"Authorization": "Bearer x"}
            ).status_code
            == 401
        )
