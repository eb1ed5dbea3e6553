"""The decoding loop a server runs, in one file: greedy generation without and with a KV cache.

The idea only: without a cache, every new token re-runs the model over the whole sequence
(step t costs t tokens of work); with one, the prompt runs once (prefill), then each step
feeds only the newest token and attention reads the keys and values stored by earlier steps
(each step costs one token). Both give the same tokens. One request at a time, greedy, no
stop rules, no batching: `engine.py` (continuous batching over a slot pool), `request.py`
and `service.py` add those.
"""

from __future__ import annotations

import torch

from phase4_llm.gpt.model import GPT


@torch.no_grad()
def greedy_no_cache(model: GPT, prompt: list[int], max_tokens: int) -> list[int]:
    """The `max_tokens` greedy continuation of `prompt`, re-running the whole sequence each step."""
    ids = torch.tensor([prompt])  # (1, t)
    for _ in range(max_tokens):
        logits, _ = model(ids)  # (1, t, vocab): every position recomputed
        next_id = logits[:, -1].argmax(-1, keepdim=True)  # (1, 1)
        ids = torch.cat([ids, next_id], dim=1)
    return ids[0, len(prompt) :].tolist()


@torch.no_grad()
def greedy_with_cache(model: GPT, prompt: list[int], max_tokens: int) -> list[int]:
    """The same continuation, feeding the model one new token per step after the prompt.

    Hint: `cache = model.new_cache(1, len(prompt) + max_tokens)`; `model(ids, cache=cache)`
    appends the keys/values of `ids` to the cache and returns logits for `ids` only.
    """
    cache = model.new_cache(1, len(prompt) + max_tokens)
    logits, _ = model(torch.tensor([prompt]), cache=cache)  # prefill: (1, t, vocab)
    out: list[int] = []
    for _ in range(max_tokens):
        next_id = logits[:, -1].argmax(-1, keepdim=True)  # (1, 1)
        out.append(int(next_id))
        logits, _ = model(next_id, cache=cache)  # decode: (1, 1, vocab)
    return out
