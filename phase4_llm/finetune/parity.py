"""Checks: our LoRA on the real MiniLM encoder equals PEFT's; the study's metric and split;
the generative case's answer-only loss and label likelihood equal plain transformers passes."""

from __future__ import annotations

import copy

import numpy as np
import torch

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version
from phase4_llm.finetune.data import LABELS, load_bbc, split
from phase4_llm.finetune.encoder import MAX_TOKENS, load_encoder, mean_pool
from phase4_llm.finetune.generative import (
    IGNORE,
    answer_ids,
    answer_loss,
    collate,
    label_logprobs,
    load_smollm2,
    prompt_ids,
    training_example,
)
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


def direct_answer_loss(
    model: torch.nn.Module, examples: list[tuple[list[int], list[int]]]
) -> float:
    """Mean cross-entropy of the answer tokens, from one plain transformers pass per example."""
    losses = []
    with torch.no_grad():
        for ids, targets in examples:
            logprobs = model(input_ids=torch.as_tensor([ids])).logits[0].log_softmax(-1)
            start = next(t for t, y in enumerate(targets) if y != IGNORE)
            losses += [-float(logprobs[t - 1, ids[t]]) for t in range(start, len(ids))]
    return float(np.mean(losses))


def direct_label_logprobs(
    model: torch.nn.Module, tokenizer: object, texts: list[str], max_tokens: int
) -> np.ndarray:
    """(articles, topics) answer log-likelihoods, one uncached forward per prompt + answer."""
    out = np.zeros((len(texts), len(LABELS)))
    with torch.no_grad():
        for i, text in enumerate(texts):
            prompt = prompt_ids(tokenizer, text, max_tokens)
            for j, label in enumerate(LABELS):
                answer = answer_ids(tokenizer, label)
                logits = model(input_ids=torch.as_tensor([prompt + answer])).logits[0]
                logprobs = logits.log_softmax(-1)
                out[i, j] = sum(
                    float(logprobs[len(prompt) + t - 1, answer[t]]) for t in range(len(answer))
                )
    return out


def generative_checks(model: torch.nn.Module, tokenizer: object) -> list[ParityResult]:
    """Answer-only loss and batched label likelihood on SmolLM2 vs plain transformers passes."""
    texts = [
        "Shares in the carmaker rose 5% after it reported record profits.",
        "The striker scored twice as United beat Arsenal to go top of the league.",
        "The prime minister faced questions in parliament over the election.",
    ]
    examples = [
        training_example(tokenizer, t, label, max_tokens=24)
        for t, label in zip(texts, ("business", "entertainment", "sports"), strict=True)
    ]
    with torch.no_grad():
        loss = answer_loss(model, collate(examples, tokenizer.pad_token_id))  # type: ignore[attr-defined]
    reference = reference_version("transformers")
    return [
        # float32 through 30 layers, padded batch vs one sequence at a time: 1e-5
        compare(
            "SmolLM2: answer-only loss (padded batch)",
            float(loss),
            direct_answer_loss(model, examples),
            reference=reference,
            rtol=1e-5,
        ),
        # cached, left-padded batch vs an uncached forward per answer; log-probs ~ -10: 1e-4
        compare(
            "SmolLM2: label log-likelihoods (cached batch)",
            label_logprobs(model, tokenizer, texts, max_tokens=32),
            direct_label_logprobs(model, tokenizer, texts, max_tokens=32),
            reference=reference,
            rtol=0,
            atol=1e-4,
        ),
    ]


def checks() -> list[ParityResult]:
    """PEFT parity on the real encoder, macro-F1 vs scikit-learn, a stratified fixed split,
    and the generative case's loss and scorer vs transformers on the real SmolLM2."""
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
    return out + generative_checks(*load_smollm2())
