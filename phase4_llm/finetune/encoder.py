"""The packaged all-MiniLM-L6-v2 as a classifier: mean-pooled embeddings and a linear head,
with the encoder frozen (head only), adapted by our LoRA, or fully fine-tuned."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from phase4_llm.common.assets import minilm_path
from phase4_llm.lora.wrap import LoRAConfig, apply_lora, trainable_parameters

MAX_TOKENS = 128


def load_encoder() -> tuple[nn.Module, Any]:
    """(model, tokenizer) of the packaged MiniLM, offline."""
    from transformers import AutoModel, AutoTokenizer

    path = str(minilm_path())
    return AutoModel.from_pretrained(path), AutoTokenizer.from_pretrained(path)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Average of token vectors where the attention mask is 1 (as sentence-transformers does)."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


class Classifier(nn.Module):
    """Encoder + mean pooling + L2 normalisation + a linear layer over the topics."""

    def __init__(self, encoder: nn.Module, n_classes: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(encoder.config.hidden_size, n_classes)

    def embed(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        hidden = self.encoder(**batch).last_hidden_state
        return nn.functional.normalize(mean_pool(hidden, batch["attention_mask"]), dim=-1)

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.head(self.embed(batch))


@dataclass
class TrainResult:
    """A trained classifier and what it cost."""

    model: Classifier
    tokenizer: Any
    trainable: int
    total: int
    seconds: float
    steps: int


def build(mode: str, n_classes: int, seed: int = 0, rank: int = 8) -> tuple[Classifier, Any]:
    """A classifier in one of the modes: "head" (frozen encoder), "lora", or "full"."""
    torch.manual_seed(seed)
    encoder, tokenizer = load_encoder()
    if mode == "lora":
        apply_lora(encoder, LoRAConfig(target_modules=["query", "value"], r=rank, alpha=2 * rank))
    elif mode == "head":
        for p in encoder.parameters():
            p.requires_grad_(False)
    elif mode != "full":
        raise ValueError(f"mode must be 'head', 'lora' or 'full', got {mode!r}")
    model = Classifier(encoder, n_classes)
    return model, tokenizer


def train(
    mode: str,
    texts: list[str],
    labels: np.ndarray,
    *,
    steps: int,
    batch_size: int = 16,
    lr: float | None = None,
    seed: int = 0,
    max_tokens: int = MAX_TOKENS,
) -> TrainResult:
    """Train for a fixed number of steps over shuffled batches (seeded); return the model."""
    model, tokenizer = build(mode, int(labels.max()) + 1, seed)
    lr = lr or {"head": 1e-2, "lora": 2e-3, "full": 5e-5}[mode]
    head_lr = 1e-2
    params = [{"params": model.head.parameters(), "lr": head_lr}]
    encoder_params = [p for p in model.encoder.parameters() if p.requires_grad]
    if encoder_params:
        params.append({"params": encoder_params, "lr": lr})
    optimiser = torch.optim.AdamW(params, weight_decay=0.01)
    rng = np.random.default_rng(seed)
    order = np.concatenate(
        [rng.permutation(len(texts)) for _ in range(steps * batch_size // len(texts) + 1)]
    )
    model.train()
    start = time.perf_counter()
    # a bar on a terminal only (disable=None): the full study trains for minutes per method
    for step in tqdm(range(steps), desc=f"MiniLM {mode}", unit="step", disable=None, leave=False):
        ids = order[step * batch_size : (step + 1) * batch_size]
        batch = tokenizer(
            [texts[i] for i in ids],
            padding=True,
            truncation=True,
            max_length=max_tokens,
            return_tensors="pt",
        )
        loss = nn.functional.cross_entropy(model(dict(batch)), torch.as_tensor(labels[ids]))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    seconds = time.perf_counter() - start
    model.eval()
    trainable, total = trainable_parameters(model)
    return TrainResult(model, tokenizer, trainable, total, seconds, steps)


@torch.no_grad()
def embed_texts(
    model: Classifier,
    tokenizer: Any,
    texts: list[str],
    batch_size: int = 64,
    max_tokens: int = MAX_TOKENS,
) -> torch.Tensor:
    """Normalised embeddings of many texts, in batches."""
    out = []
    starts = range(0, len(texts), batch_size)
    for start in tqdm(starts, desc="MiniLM embed", unit="batch", disable=None, leave=False):
        batch = tokenizer(
            texts[start : start + batch_size],
            padding=True,
            truncation=True,
            max_length=max_tokens,
            return_tensors="pt",
        )
        out.append(model.embed(dict(batch)))
    return torch.cat(out)


@torch.no_grad()
def predict(
    model: Classifier, tokenizer: Any, texts: list[str], max_tokens: int = MAX_TOKENS
) -> np.ndarray:
    """Predicted topic indices."""
    return (
        model.head(embed_texts(model, tokenizer, texts, max_tokens=max_tokens)).argmax(-1).numpy()
    )
