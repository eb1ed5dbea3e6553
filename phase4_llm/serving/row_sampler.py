"""Per-row token choice for a batch: greedy rows take the argmax, sampled rows draw alone.

Each sampled request owns a `torch.Generator` (seeded from its `seed`, else from the OS) and
its row goes through `phase4_llm.gpt.sampling.warp` by itself, so the same seed gives the same
tokens whichever requests share the batch.
"""

from __future__ import annotations

import torch

from phase4_llm.gpt.sampling import warp

from .request import RequestHandle


def sample_rows(rows: list[RequestHandle], logits: torch.Tensor) -> torch.Tensor:
    """Next token per row of `logits` (batch, vocab): argmax for greedy rows, else a draw
    from the row's own seeded generator after the gpt milestone's warpers."""
    out = logits.argmax(dim=-1)
    for i, h in enumerate(rows):
        p = h.params
        if p.greedy:
            continue
        if h.generator is None:
            h.generator = torch.Generator(device=logits.device)
            if p.seed is not None:
                h.generator.manual_seed(p.seed)
            else:
                h.generator.seed()
        # The gpt milestone's warpers and draw, on this row alone: same seed, same tokens.
        row = warp(
            logits[i : i + 1],
            logits.new_zeros((1, 0), dtype=torch.long),
            temperature=p.temperature,
            top_k=p.top_k,
            top_p=p.top_p,
        )
        out[i] = torch.multinomial(row.softmax(dim=-1), 1, generator=h.generator)[0, 0]
    return out
