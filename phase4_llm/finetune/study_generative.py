"""The generative case: SmolLM2-135M-Instruct asked for the topic, zero-shot and after LoRA.

Same split as the encoder case. The model is prompted with the chat template (question, the
five topic words, the article cut to `max_tokens` tokens) and read two ways (label likelihood,
greedy answer; see `generative.py`), first as shipped, then after our LoRA (rank 8 on the
attention query and value projections) has trained on the answer tokens of training articles.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from phase4_llm.finetune.data import LABELS, Split, load_bbc, split
from phase4_llm.finetune.generative import load_smollm2, predict, train_lora
from phase4_llm.finetune.study import Row, _size, score
from phase4_llm.lora.wrap import lora_state_dict

MODEL = "SmolLM2-135M-Instruct"


@dataclass(frozen=True)
class GenerativeConfig:
    """Sizes of one generative run (`test_per_topic=None`: the whole test split)."""

    max_tokens: int = 96
    steps: int = 60
    batch_size: int = 8
    lr: float = 2e-3
    rank: int = 8
    targets: tuple[str, ...] = ("q_proj", "v_proj")
    test_per_topic: int | None = None

    def to_params(self) -> dict[str, object]:
        """Flat MLflow parameters."""
        return {f"generative.{k}": v for k, v in asdict(self).items()}


FULL = GenerativeConfig()
QUICK = GenerativeConfig(max_tokens=64, steps=30, batch_size=4, test_per_topic=12)


def run_generative_study(
    config: GenerativeConfig = QUICK, seed: int = 0, train_seed: int | None = None
) -> list[Row]:
    """Zero-shot and LoRA-tuned SmolLM2, each scored by label likelihood and greedy answer.

    `seed` fixes the split and test subset (as in the encoder case); `train_seed` (default:
    `seed`) the adapter's initialisation and the order of training batches."""
    train_set, _, test = split(load_bbc(), seed=seed)
    if config.test_per_topic is not None:
        test = stratified_subset(test, config.test_per_topic, seed)
    model, tokenizer = load_smollm2()
    before = predict(model, tokenizer, test.texts, config.max_tokens)
    result = train_lora(
        model,
        tokenizer,
        train_set.texts,
        train_set.labels,
        steps=config.steps,
        max_tokens=config.max_tokens,
        batch_size=config.batch_size,
        lr=config.lr,
        rank=config.rank,
        targets=config.targets,
        seed=seed if train_seed is None else train_seed,
    )
    after = predict(model, tokenizer, test.texts, config.max_tokens)
    adapter = _size(lora_state_dict(model))
    lora = f"LoRA r={config.rank} on {MODEL.split('-')[0]}"
    y = test.labels
    return [
        score("zero-shot SmolLM2 - label likelihood", y, before.likelihood, 0, 0.0, 0),
        score(
            "zero-shot SmolLM2 - greedy answer",
            y,
            before.greedy,
            0,
            0.0,
            0,
            invalid_share=float(np.mean(before.greedy < 0)),
        ),
        score(
            f"{lora} - label likelihood",
            y,
            after.likelihood,
            result.trainable,
            result.seconds,
            adapter,
        ),
        score(
            f"{lora} - greedy answer",
            y,
            after.greedy,
            result.trainable,
            result.seconds,
            adapter,
            invalid_share=float(np.mean(after.greedy < 0)),
        ),
    ]


def stratified_subset(data: Split, per_topic: int, seed: int = 0) -> Split:
    """`per_topic` articles of each topic, drawn with a seeded generator, in original order."""
    rng = np.random.default_rng(seed)
    keep = []
    for label in range(len(LABELS)):
        members = np.flatnonzero(data.labels == label)
        if len(members) < per_topic:
            raise ValueError(f"topic {LABELS[label]!r} has {len(members)} < {per_topic} articles")
        keep.append(rng.choice(members, per_topic, replace=False))
    ids = np.sort(np.concatenate(keep))
    return Split([data.texts[i] for i in ids], data.labels[ids])
