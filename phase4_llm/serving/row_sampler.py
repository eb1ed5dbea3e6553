"""Per-row token choice for a batch: greedy rows take the argmax, sampled rows draw alone.

Each sampled request owns a `torch.Generator` (seeded from its `seed`, else from the OS) and
its row goes through `phase4_llm.gpt.sampling.warp` by itself, so the same seed gives the same
tokens whichever requests share the batch.

One request's parameters or logits can never fail another's: each row is chosen on its own,
and a row that cannot be sampled is reported back (the engine ends that request alone). When
the usual float32 path gives non-finite probabilities (a temperature such as 1e-300 rounds to
0 in float32, so logits / temperature is inf and softmax NaN), the row is redone in float64 in
log space (`safe_probs`), which is exact in the limit: a tiny temperature becomes greedy.
"""

from __future__ import annotations

import torch

from phase4_llm.gpt.sampling import top_k_filter, top_p_filter, warp

from .request import RequestHandle, SamplingParams


class SamplingError(ValueError):
    """A row whose logits hold no finite choice (all NaN or -inf): its request cannot go on."""


def sample_rows(
    rows: list[RequestHandle], logits: torch.Tensor
) -> tuple[list[int | None], dict[int, Exception]]:
    """Next token per row of `logits` (batch, vocab), and the rows that failed.

    Greedy rows take the argmax (NaN never wins), sampled rows draw from their own seeded
    generator after the gpt milestone's warpers. A failing row gets None and its exception.
    """
    nan_rows = torch.isnan(logits).any(dim=-1).tolist()
    out: list[int | None] = logits.argmax(dim=-1).tolist()
    failed: dict[int, Exception] = {}
    for i, h in enumerate(rows):
        if not nan_rows[i] and h.params.greedy:
            continue  # the common case stays one batched argmax
        try:
            out[i] = _choose(h, logits[i : i + 1])
        except Exception as exc:  # isolate: this row alone fails
            out[i], failed[i] = None, exc
    return out, failed


def _choose(h: RequestHandle, row: torch.Tensor) -> int:
    """One row (1, vocab): argmax or a seeded draw; NaN logits count as -inf."""
    row = torch.nan_to_num(row, nan=float("-inf"), posinf=float("inf"), neginf=float("-inf"))
    if bool(torch.isneginf(row).all()):
        raise SamplingError("the model produced no finite logit for this request")
    p = h.params
    if p.greedy:
        return int(row.argmax(dim=-1)[0])
    if h.generator is None:
        h.generator = torch.Generator(device=row.device)
        if p.seed is not None:
            h.generator.manual_seed(p.seed)
        else:
            h.generator.seed()
    probs = _usual_probs(row, p)
    if not _is_distribution(probs):
        probs = safe_probs(row, p)
    return int(torch.multinomial(probs, 1, generator=h.generator)[0, 0])


def _usual_probs(row: torch.Tensor, p: SamplingParams) -> torch.Tensor:
    """The gpt milestone's warpers and softmax: what a request alone would use."""
    warped = warp(
        row,
        row.new_zeros((1, 0), dtype=torch.long),
        temperature=p.temperature,
        top_k=p.top_k,
        top_p=p.top_p,
    )
    return warped.softmax(dim=-1)


def safe_probs(row: torch.Tensor, p: SamplingParams) -> torch.Tensor:
    """Probabilities of one row (1, vocab) that are finite for any temperature > 0.

    In float64, the logits are shifted so the best is 0 before dividing by the temperature:
    every value is then <= 0, the best stays exactly 0, and softmax cannot overflow. +inf
    logits share the mass equally (the limit of the distribution). Example: logits [1, 3, 2]
    at temperature 1e-300 -> [0, 1, 0].
    """
    x = row.to(torch.float64)
    if bool(torch.isposinf(x).any()):
        x = torch.where(torch.isposinf(x), 0.0, float("-inf"))
    x = x - x.max(dim=-1, keepdim=True).values
    x = x / p.temperature  # -inf stays -inf, 0 stays 0, the rest only grows more negative
    x = torch.nan_to_num(x, nan=float("-inf"))
    if p.top_k is not None:
        x = top_k_filter(x, p.top_k)
    if p.top_p < 1.0:
        x = top_p_filter(x, p.top_p)
    probs = x.softmax(dim=-1)
    if not _is_distribution(probs):
        raise SamplingError("no finite distribution for this request's logits")
    return probs


def _is_distribution(probs: torch.Tensor) -> bool:
    """Finite, non-negative, and some mass (what `torch.multinomial` accepts)."""
    return bool(torch.isfinite(probs).all()) and bool((probs >= 0).all()) and float(probs.sum()) > 0
