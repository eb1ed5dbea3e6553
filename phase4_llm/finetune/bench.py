"""Benchmark: a LoRA training step on MiniLM, ours vs PEFT, at three batch sizes."""

from __future__ import annotations

from functools import partial

import torch

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version
from phase4_llm.finetune.data import load_bbc
from phase4_llm.finetune.encoder import MAX_TOKENS
from phase4_llm.finetune.parity import lora_minilm_pair


def _step(model: torch.nn.Module, batch: dict[str, torch.Tensor]) -> None:
    model.zero_grad(set_to_none=True)
    model(**batch).last_hidden_state.pow(2).mean().backward()


def run(quick: bool = False) -> list[BenchRow]:
    """Forward + backward through the adapted encoder on real articles (128 tokens each)."""
    ours, theirs, tokenizer = lora_minilm_pair()
    ours.train()
    theirs.train()
    texts = load_bbc().texts
    rows = []
    for n in sizes(quick, full=(4, 16, 32), small=(2, 4, 8)):
        batch = dict(
            tokenizer(
                texts[:n],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,  # type: ignore[operator]
                return_tensors="pt",
            )
        )
        rows.append(
            compare(
                "LoRA training step (MiniLM)",
                n,
                partial(_step, ours, batch),
                partial(_step, theirs, batch),
                reference=reference_version("peft"),
                repeats=3,
            )
        )
    return rows
