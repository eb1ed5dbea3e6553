"""Train a small ResNet (our layers end to end, our cross-entropy) on scikit-learn's 8x8 digits."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from phase3_deep.layers_from_scratch import functional as scratch

from .model import ResNetClassifier, ResNetConfig


@dataclass
class DigitsRun:
    """What one training run measured: the loss of every epoch and held-out accuracy."""

    epoch_losses: list[float] = field(default_factory=list)
    test_accuracy: float = 0.0
    n_train: int = 0
    n_test: int = 0


def digits_config() -> ResNetConfig:
    """Two stages of BasicBlocks (8 then 16 channels) behind a 3x3 stem: 5,122 parameters."""
    return ResNetConfig(
        num_channels=1,
        embedding_size=8,
        hidden_sizes=[8, 16],
        depths=[1, 1],
        layer_type="basic",
        stem="small",
    )


def load_digits_split(seed: int = 0) -> tuple[torch.Tensor, ...]:
    """Digits as (N, 1, 8, 8) float32 in [0, 1], split 75/25 stratified."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    return (
        torch.from_numpy(Xtr),
        torch.from_numpy(Xte),
        torch.from_numpy(ytr),
        torch.from_numpy(yte),
    )


def train_digits(
    epochs: int = 3, batch_size: int = 64, lr: float = 1e-2, seed: int = 0, num_threads: int = 1
) -> DigitsRun:
    """Train with Adam for `epochs` epochs and report per-epoch loss and test accuracy.

    `num_threads` applies for the run only: a 5k-parameter net loses more to thread
    synchronisation than it gains on a shared CPU.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(num_threads)
    try:
        return _train(epochs, batch_size, lr, seed)
    finally:
        torch.set_num_threads(previous)


def _train(epochs: int, batch_size: int, lr: float, seed: int) -> DigitsRun:
    from phase0_env.common.seeding import seed_everything

    seed_everything(seed)
    Xtr, Xte, ytr, yte = load_digits_split(seed)
    model = ResNetClassifier(digits_config(), num_classes=10)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    run = DigitsRun(n_train=len(ytr), n_test=len(yte))
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(ytr), generator=gen)
        total = 0.0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            loss = scratch.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        run.epoch_losses.append(total / len(ytr))
    model.eval()
    with torch.no_grad():
        run.test_accuracy = float((model(Xte).argmax(1) == yte).float().mean())
    return run
