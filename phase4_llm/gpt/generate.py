"""Autoregressive decoding: greedy or seeded sampling, KV cache on or off, stop rules, streaming.

`stream` is a generator yielding one token per sequence per step; `generate` collects it.
Semantics follow transformers' `generate`: a finished row (eos or stop sequence) keeps
emitting `pad_token_id` until every row is finished, and the stop tokens stay in the output.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import torch

from .model import GPT
from .sampling import warp


@torch.no_grad()
def stream(
    model: GPT,
    idx: torch.Tensor,
    max_new_tokens: int,
    *,
    do_sample: bool = False,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
    repetition_penalty: float | None = None,
    seed: int | None = None,
    eos_token_id: int | None = None,
    pad_token_id: int | None = None,
    stop: Sequence[Sequence[int]] = (),
    use_cache: bool = True,
) -> Iterator[torch.Tensor]:
    """Yield the next token of every row, shape (batch,), until done or `max_new_tokens`.

    Greedy unless `do_sample`; with `seed` the draws come from a private generator, so the
    same seed gives the same text (without it, from torch's global RNG, as transformers does).
    """
    if idx.ndim != 2 or idx.shape[1] == 0:
        raise ValueError(f"idx must be a non-empty (batch, time) tensor, got {tuple(idx.shape)}")
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be >= 0, got {max_new_tokens}")
    block = model.config.block_size
    if use_cache and idx.shape[1] + max_new_tokens > block:
        raise ValueError(
            f"prompt ({idx.shape[1]}) + max_new_tokens ({max_new_tokens}) > block_size {block}"
        )
    gen = None
    if seed is not None:
        gen = torch.Generator(device=idx.device).manual_seed(seed)
    if pad_token_id is None:
        pad_token_id = eos_token_id if eos_token_id is not None else 0
    stops = [torch.tensor(list(s), dtype=torch.long, device=idx.device) for s in stop if len(s)]
    was_training = model.training
    model.eval()
    try:
        seq = idx
        cache = model.new_cache(idx.shape[0], idx.shape[1] + max_new_tokens) if use_cache else None
        finished = torch.zeros(idx.shape[0], dtype=torch.bool, device=idx.device)
        next_input = idx
        for _ in range(max_new_tokens):
            if cache is None:
                next_input = seq[:, -block:]  # without a cache, re-read the whole window
            logits, _ = model(next_input, cache=cache)
            logits = logits[:, -1, :].float()
            if do_sample:
                logits = warp(
                    logits,
                    seq,
                    temperature=temperature,
                    top_k=top_k,
                    top_p=top_p,
                    min_p=min_p,
                    repetition=repetition_penalty,
                )
                probs = logits.softmax(dim=-1)
                token = torch.multinomial(probs, 1, generator=gen).squeeze(1)
            else:
                if repetition_penalty is not None:
                    logits = warp(logits, seq, repetition=repetition_penalty)
                token = logits.argmax(dim=-1)
            token = torch.where(finished, torch.full_like(token, pad_token_id), token)
            seq = torch.cat([seq, token[:, None]], dim=1)
            next_input = token[:, None]
            yield token
            if eos_token_id is not None:
                finished |= token == eos_token_id
            for s in stops:
                if seq.shape[1] - idx.shape[1] >= len(s):
                    finished |= (seq[:, -len(s) :] == s).all(dim=1)
            if bool(finished.all()):
                break
    finally:
        model.train(was_training)


def generate(model: GPT, idx: torch.Tensor, max_new_tokens: int, **kwargs: object) -> torch.Tensor:
    """Prompt plus generated tokens, shape (batch, time + new); options as in `stream`."""
    steps = list(stream(model, idx, max_new_tokens, **kwargs))  # type: ignore[arg-type]
    if not steps:
        return idx
    return torch.cat([idx, torch.stack(steps, dim=1)], dim=1)
