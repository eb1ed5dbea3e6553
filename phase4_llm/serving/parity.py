"""Parity checks of the serving milestone (used by `roadmap parity/report`).

Batched, interleaved greedy decoding equals (1) each request decoded alone by the gpt
milestone's `generate`, and (2) transformers' `generate` for the same weights (tiny random
GPT-2 and Llama-with-GQA, and optionally the real SmolLM2-135M); seeded sampling in a batch
equals the same seed alone.
"""

from __future__ import annotations

import numpy as np
import torch

from phase0_env.common.parity import ParityResult, compare, reference_version
from phase4_llm.gpt import reference as ref
from phase4_llm.gpt.model import GPT
from phase4_llm.gpt.weights import from_hf

from .engine import Engine
from .models import tiny_gpt
from .workload import alone, mixed_prompts, run_interleaved, torch_threads

TRANSFORMERS = reference_version("transformers")
ALONE = "phase4_llm.gpt generate, one request at a time"


def checks(include_smollm2: bool = True) -> list[ParityResult]:
    """Batched greedy == alone == transformers; seeded sampling batch-independent."""
    results = []
    with torch_threads(1):
        model = tiny_gpt(seed=0)
        requests = mixed_prompts(16, seed=11)
        handles = run_interleaved(_engine(model, None, slots=6), requests)
        results.append(
            compare(
                "16 interleaved requests, greedy == alone",
                _flat([h.output_ids for h in handles]),
                _flat([alone(model, p, k) for p, k in requests]),
                reference=ALONE,
                exact=True,
            )
        )
        sample = dict(temperature=0.8, top_p=0.9, top_k=50)
        handles = run_interleaved(
            _engine(model, None, slots=6), requests[:8], seed="index", **sample
        )
        results.append(
            compare(
                "8 interleaved requests, seeded sampling == alone",
                _flat([h.output_ids for h in handles]),
                _flat(
                    [
                        alone(model, p, k, do_sample=True, seed=i, **sample)
                        for i, (p, k) in enumerate(requests[:8])
                    ]
                ),
                reference=ALONE,
                exact=True,
            )
        )
        for name, hf in (("gpt2", ref.tiny_hf_gpt2()), ("llama GQA", ref.tiny_hf_llama())):
            results.append(_against_transformers(f"{name}: 12 interleaved greedy", hf, 12, 64))
    if include_smollm2:
        results.append(smollm2_check())
    return results


def smollm2_check(n_requests: int = 3, new_tokens: int = 6) -> ParityResult:
    """Real SmolLM2-135M weights: batched engine greedy == transformers generate per request."""
    from phase4_llm.gpt.smollm2 import load_smollm2_reference

    hf, tok = load_smollm2_reference()
    prompts = ["The capital of France is", "def fibonacci(n):", "Once upon a time, in a"]
    requests = [(tok(p).input_ids, new_tokens) for p in prompts[:n_requests]]
    return _batched_vs_hf(f"SmolLM2-135M: {n_requests} batched greedy", hf, requests, 64)


def _against_transformers(name: str, hf, n: int, max_len: int) -> ParityResult:  # type: ignore[no-untyped-def]
    vocab = hf.config.vocab_size - 1  # the last id is EOS
    requests = mixed_prompts(n, seed=12, vocab=vocab, max_prompt=20, max_new=24)
    return _batched_vs_hf(name, hf, requests, max_len)


def _batched_vs_hf(name: str, hf, requests, max_len: int) -> ParityResult:  # type: ignore[no-untyped-def]
    ours = from_hf(hf)
    eos = hf.config.eos_token_id
    handles = run_interleaved(_engine(ours, eos, slots=4, max_len=max_len), requests)
    got = [h.output_ids + ([eos] if h.finish_reason == "stop" else []) for h in handles]
    want = []
    with torch.no_grad():
        for prompt, k in requests:
            x = torch.tensor([prompt])
            want.append(ref.hf_generate(hf, x, k, do_sample=False)[0, len(prompt) :].tolist())
    return compare(name, _flat(got), _flat(want), reference=TRANSFORMERS, exact=True)


def _engine(model: GPT, eos: int | None, *, slots: int, max_len: int | None = None) -> Engine:
    max_len = max_len or model.config.block_size
    from .kv_pool import bytes_per_token

    per_slot = bytes_per_token(model.config, next(model.parameters()).dtype) * max_len
    return Engine(model, eos_token_id=eos, kv_budget_bytes=slots * per_slot, max_len=max_len)


def _flat(outputs: list[list[int]]) -> np.ndarray:
    """Token lists joined with -1 separators, so a length mismatch is a value mismatch too."""
    return np.array([t for out in outputs for t in [*out, -1]])
