"""Constrained generation with phase 4's GPT: mask the logits, then warp and sample as usual.

The loop mirrors `phase4_llm.gpt.generate.stream` for one row (same KV cache use, the same
warpers in transformers' order, the same `torch.multinomial` draw from a private generator),
with one change: before warping, disallowed tokens get -inf. With `constraint=None` it is
phase 4's loop exactly, which the parity tests prove token for token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from phase4_llm.common.constrained.automaton import JsonAutomaton
from phase4_llm.common.constrained.masking import TokenMasker
from phase4_llm.common.constrained.vocab import TokenVocabulary
from phase4_llm.gpt.model import GPT
from phase4_llm.gpt.sampling import warp


@dataclass
class Generation:
    """What one constrained generation produced."""

    tokens: list[int]  # generated ids (EOS included when it was drawn)
    text: str  # their text, EOS excluded
    complete: bool  # the automaton accepted the text when generation stopped
    mask_seconds: float  # time spent computing masks (cache misses and lookups)


class JsonConstraint:
    """A schema bound to a vocabulary: the state of one generation and its masks."""

    def __init__(self, schema: dict[str, Any], vocab: TokenVocabulary) -> None:
        self.automaton = JsonAutomaton(schema)
        self.masker = TokenMasker(self.automaton, vocab)
        self.vocab = vocab

    def min_tokens(self) -> int:
        """A max_new_tokens that always suffices (one token per character, at worst)."""
        return self.automaton.min_chars(self.automaton.initial)


@torch.no_grad()
def generate_json(
    model: GPT,
    prompt_ids: list[int],
    constraint: JsonConstraint | None,
    max_new_tokens: int,
    *,
    vocab: TokenVocabulary | None = None,
    do_sample: bool = False,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    min_p: float | None = None,
    seed: int | None = None,
    eos_token_id: int | None = None,
) -> Generation:
    """Generate after `prompt_ids`; with a constraint the text is always a valid instance.

    Stops at EOS, when the instance is closed (nothing may follow), or at max_new_tokens.
    """
    import time

    if not prompt_ids:
        raise ValueError("prompt_ids must not be empty")
    if len(prompt_ids) + max_new_tokens > model.config.block_size:
        raise ValueError(
            f"prompt ({len(prompt_ids)}) + max_new_tokens ({max_new_tokens}) > block_size "
            f"{model.config.block_size}"
        )
    vocab = vocab or (constraint.vocab if constraint is not None else None)
    if constraint is not None:
        need = constraint.min_tokens()
        if max_new_tokens < need:
            raise ValueError(f"max_new_tokens={max_new_tokens} < {need}, the shortest instance")
        eos = set(constraint.vocab.eos_ids)
    else:
        eos = {eos_token_id} if eos_token_id is not None else set()
    device = model.wte.weight.device
    gen = torch.Generator(device=device).manual_seed(seed) if seed is not None else None
    idx = torch.tensor([prompt_ids], dtype=torch.long, device=device)
    cache = model.new_cache(1, idx.shape[1] + max_new_tokens)
    was_training = model.training
    model.eval()
    tokens: list[int] = []
    state = constraint.automaton.initial if constraint is not None else 0
    mask_s = 0.0
    seq, next_input = idx, idx
    try:
        for step in range(max_new_tokens):
            logits, _ = model(next_input, cache=cache)
            logits = logits[:, -1, :].float()
            if constraint is not None:
                t0 = time.perf_counter()
                allowed = constraint.masker.allowed(state, max_new_tokens - step - 1)
                mask = _fit(torch.from_numpy(allowed), logits.shape[-1]).to(device)
                mask_s += time.perf_counter() - t0
                logits = logits.masked_fill(~mask, float("-inf"))
            if do_sample:
                logits = warp(
                    logits, seq, temperature=temperature, top_k=top_k, top_p=top_p, min_p=min_p
                )
                token = int(torch.multinomial(logits.softmax(dim=-1), 1, generator=gen))
            else:
                token = int(logits.argmax(dim=-1))
            tokens.append(token)
            if token in eos:
                break
            if constraint is not None:
                state = constraint.masker.advance(state, token)
                if constraint.automaton.is_closed(state):
                    break
            next_input = torch.tensor([[token]], device=device)
            seq = torch.cat([seq, next_input], dim=1)
    finally:
        model.train(was_training)
    texts = vocab.texts if vocab is not None else None
    text = "".join((texts[t] or "") for t in tokens if t not in eos) if texts else ""
    complete = constraint.automaton.is_accepting(state) if constraint is not None else False
    return Generation(tokens, text, complete, mask_s)


def _fit(mask: torch.Tensor, width: int) -> torch.Tensor:
    # A model may have more logits than the tokenizer has tokens (padding): never allow those.
    if mask.shape[0] >= width:
        return mask[:width]
    return torch.cat([mask, torch.zeros(width - mask.shape[0], dtype=torch.bool)])
