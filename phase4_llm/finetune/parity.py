"""Checks: our LoRA on the real MiniLM encoder equals PEFT's; the study's metric and split."""

from __future__ import annotations

import copy

import numpy as np
import torch

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version
from phase4_llm.finetune.data import LABELS, load_bbc, split
from phase4_llm.finetune.encoder import MAX_TOKENS, load_encoder, mean_pool
from phase4_llm.finetune.study import macro_f1
from phase4_llm.lora.reference import randomise_adapters
from phase4_llm.lora.wrap import LoRAConfig, apply_lora, lora_layers


def lora_minilm_pair(rank: int = 8):  # type: ignore[no-untyped-def]
    """(ours, peft, tokenizer): the packaged MiniLM with equal LoRA weights in both."""
    from peft import LoraConfig, get_peft_model

    base, tokenizer = load_encoder()
    base.eval()
    config = LoRAConfig(target_modules=["query", "value"], r=rank, alpha=2 * rank)
    ours = apply_lora(copy.deepcopy(base), config)
    randomise_adapters(ours, scale=0.02)
    theirs = get_peft_model(
        copy.deepcopy(base),
        LoraConfig(
            r=rank, lora_alpha=2 * rank, target_modules=["query", "value"], lora_dropout=0.0
        ),
    )
    with torch.no_grad():
        for name, layer in lora_layers(ours):
            twin = theirs.base_model.model.get_submodule(name)
            twin.lora_A["default"].weight.copy_(layer.lora_A.weight)
            twin.lora_B["default"].weight.copy_(layer.lora_B.weight)
    return ours, theirs.eval(), tokenizer


def checks() -> list[ParityResult]:
    """PEFT parity on the real encoder, macro-F1 vs scikit-learn, a stratified fixed split."""
    from sklearn.metrics import f1_score

    ours, theirs, tokenizer = lora_minilm_pair()
    texts = [
        "Shares rose after the merger.",
        "The striker scored twice in the final.",
        "Parliament voted on the new bill today.",
        "A new phone with a faster chip.",
    ]
    batch = dict(
        tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
    )
    with torch.no_grad():
        a = mean_pool(ours(**batch).last_hidden_state, batch["attention_mask"])
        b = mean_pool(theirs(**batch).last_hidden_state, batch["attention_mask"])
    out = [
        compare(
            "LoRA on MiniLM: sentence embeddings",
            a,
            b,
            reference=reference_version("peft"),
            rtol=1e-5,
            atol=1e-6,
        )
    ]
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 5, 300), rng.integers(0, 5, 300)
    out.append(
        compare(
            "macro-F1",
            macro_f1(y, p),
            f1_score(y, p, average="macro"),
            reference=reference_version("scikit-learn"),
            rtol=1e-12,
        )
    )
    data = load_bbc()
    train, val, test = split(data)
    again = split(data)[2]
    shares = [np.bincount(s.labels, minlength=len(LABELS)) / len(s.labels) for s in (train, test)]
    out.append(
        behaviour(
            "split is stratified, disjoint and reproducible",
            np.allclose(shares[0], shares[1], atol=0.01)
            and test.texts == again.texts
            and not set(train.texts) & set(test.texts),
            f"train {len(train.texts)}, val {len(val.texts)}, test {len(test.texts)}",
        )
    )
    return out
