"""Benchmark: forward + backward of our LoRA model vs PEFT's, same base, three batch sizes."""

from __future__ import annotations

import copy
from functools import partial

import torch

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version
from phase4_llm.lora.reference import peft_twin, randomise_adapters, tiny_llama
from phase4_llm.lora.wrap import LoRAConfig, apply_lora


def _step(model: torch.nn.Module, ids: torch.Tensor) -> None:
    model.zero_grad(set_to_none=True)
    model(input_ids=ids, labels=ids).loss.backward()


def run(quick: bool = False) -> list[BenchRow]:
    """Training-step time at 2, 8 and 32 sequences of 32 tokens (quick: 1, 2, 4)."""
    config = LoRAConfig(target_modules=["q_proj", "k_proj", "v_proj", "o_proj"], r=8)
    base = tiny_llama(0)
    ours = apply_lora(copy.deepcopy(base), config)
    randomise_adapters(ours)
    theirs = peft_twin(base, ours, config)
    ours.train()
    theirs.train()
    rows = []
    for batch in sizes(quick, full=(2, 8, 32), small=(1, 2, 4)):
        ids = torch.randint(0, 96, (batch, 32), generator=torch.Generator().manual_seed(batch))
        with torch.no_grad():
            err = (ours(input_ids=ids).logits - theirs(input_ids=ids).logits).abs().max()
        rows.append(
            compare(
                "train step (fwd+bwd)",
                batch * 32,
                partial(_step, ours, ids),
                partial(_step, theirs, ids),
                reference=reference_version("peft"),
                repeats=3 if quick else 7,
                quality={"max_abs_logit_diff": float(err)},
            )
        )
    return rows
