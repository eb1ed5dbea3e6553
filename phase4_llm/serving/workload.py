"""Seeded request mixes and the single-request reference decode (tests, parity, bench).

`alone` runs one request through the gpt milestone's own `generate`: the output every
batched request must reproduce token for token.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import torch

from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.model import GPT

from .engine import Engine
from .request import RequestHandle, SamplingParams


def mixed_prompts(
    n: int, seed: int = 0, vocab: int = 256, max_prompt: int = 48, max_new: int = 40
) -> list[tuple[list[int], int]]:
    """n (prompt ids, max_tokens) pairs of mixed lengths drawn with `seed`.

    Example: mixed_prompts(1, seed=0) -> [([ids of length 1..48], k in 1..40)].
    """
    rng = random.Random(seed)
    return [
        (
            [rng.randrange(vocab) for _ in range(rng.randint(1, max_prompt))],
            rng.randint(1, max_new),
        )
        for _ in range(n)
    ]


def alone(model: GPT, prompt: list[int], max_tokens: int, **kwargs: object) -> list[int]:
    """The new tokens `phase4_llm.gpt.generate` gives for this one request (options as there)."""
    out = generate(model, torch.tensor([prompt]), max_tokens, **kwargs)
    return out[0, len(prompt) :].tolist()


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run with `n` intra-op threads, then restore (tiny models: 1 avoids OpenMP spinning)."""
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def run_interleaved(
    engine: Engine, requests: list[tuple[list[int], int]], **params: object
) -> list[RequestHandle]:
    """Submit `requests` in waves between engine steps (arrivals while others decode); return
    the finished handles in request order. `params` go into every SamplingParams."""
    handles: list[RequestHandle] = []
    pending = list(requests)
    wave = 0
    while pending or engine.n_running or engine.queue_depth:
        take = 1 + wave % 3
        for prompt, k in pending[:take]:
            extra = dict(params)
            if extra.get("seed") == "index":  # request i samples with seed i
                extra["seed"] = len(handles)
            sampling = SamplingParams(max_tokens=k, **extra)  # type: ignore[arg-type]
            handles.append(engine.submit(prompt, sampling))
        pending = pending[take:]
        wave += 1
        engine.step()
    return handles
