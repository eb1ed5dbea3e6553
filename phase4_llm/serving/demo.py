"""Demo: the KV memory budget, the serving benchmark table, and the HTTP API answering
concurrent OpenAI-style requests (SmolLM2-135M chat; the tiny GPT in quick mode)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import torch
from pydantic import SecretStr

from phase0_env.common.bench import format_rows
from phase4_llm.gpt.config import GPTConfig

from .bench import metrics_table
from .bench import run as run_bench
from .kv_pool import bytes_per_token
from .workload import torch_threads


def main(quick: bool = False) -> None:
    """Print the memory budget, the benchmark table, then serve a few chat requests."""
    smollm2 = GPTConfig.llama(n_layer=30, n_head=9, n_kv_head=3, n_embd=576, vocab_size=49152)
    per_token = bytes_per_token(smollm2, torch.float32)
    print("KV cache memory (slot allocator)")
    print(f"  SmolLM2-135M fp32: {per_token:,} bytes/token = 2 x 30 layers x 3 kv heads x 64 x 4 B")
    print(
        f"  one 512-token slot: {per_token * 512 / 2**20:.1f} MiB; "
        f"256 MiB budget -> {(256 * 2**20) // (per_token * 512)} slots\n"
    )

    print("Serving benchmark (continuous batching vs one request at a time vs transformers)")
    rows = run_bench(quick=True)
    print(metrics_table(rows))
    print()
    print(format_rows(rows))
    print()
    serve_chat_requests(quick)


def serve_chat_requests(quick: bool) -> None:
    """Four concurrent chat completions through the HTTP app (in-process), one streamed."""
    from fastapi.testclient import TestClient

    from .service import ServingSettings, create_app
    from .sse_client import parse_sse, streamed_text

    model = "tiny-gpt" if quick else "smollm2-135m"
    settings = ServingSettings(
        model=model,
        max_model_len=256,
        kv_cache_budget_mb=64,
        api_keys=[SecretStr("demo-key")],
        key_budgets_usd={"demo-key": 0.01},
        log_level="WARNING",
    )
    app = create_app(settings)
    client = TestClient(app)
    auth = {"Authorization": "Bearer demo-key"}
    questions = [
        "What is the capital of France?",
        "Name a primary colour.",
        "What is 2 + 2?",
        "Say hello in Spanish.",
    ]

    def ask(q: str) -> dict:
        body = {
            "model": model,
            "messages": [{"role": "user", "content": q}],
            "max_tokens": 24,
            "temperature": 0,
        }
        return client.post("/v1/chat/completions", json=body, headers=auth).json()

    print(f"Four concurrent chat requests to {model} (OpenAI wire format, continuous batching):")
    if quick:
        print("  (quick mode: a random-init byte-level GPT, so the answers are noise)")
    threads = 1 if quick else torch.get_num_threads()
    with torch_threads(threads), ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(ask, questions))
    for q, a in zip(questions, answers, strict=True):
        print(f"  Q: {q}\n  A: {a['choices'][0]['message']['content']!r}  usage={a['usage']}")
    body = {
        "model": model,
        "messages": [{"role": "user", "content": questions[0]}],
        "max_tokens": 24,
        "temperature": 0,
        "stream": True,
    }
    with client.stream("POST", "/v1/chat/completions", json=body, headers=auth) as r:
        events = parse_sse(r.iter_lines())
    print(f"  streamed in {len(events)} SSE chunks: {streamed_text(events)!r}")
    usage = client.get("/v1/usage", headers=auth).json()
    print(f"  key usage: {usage}")
    metrics = [
        line
        for line in client.get("/metrics").text.splitlines()
        if line.startswith(
            (
                "llm_time_to_first_token_seconds_count",
                "llm_queue_depth",
                "llm_running_batch_size",
                "llm_completion_tokens_total",
            )
        )
    ]
    print("  /metrics: " + "; ".join(metrics))
    app.state.engine.stop()
