"""Loop checks that need only the `TrainingLoop` methods: overfit one batch, label
permutation, determinism, stale gradients, batch mixing, evaluation mode, padding invariance."""

from __future__ import annotations

import random
from typing import Any, Protocol

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class TrainingLoop(Protocol):
    """What the toolkit needs from a loop (see `loop.DigitsLoop` for one)."""

    n_classes: int

    def data(self) -> Any: ...
    def make(self, seed: int = 0) -> tuple[nn.Module, torch.optim.Optimizer]: ...
    def loss(self, model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor: ...
    def step(
        self, model: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor
    ) -> float: ...
    def predict(self, model: nn.Module, x: torch.Tensor) -> torch.Tensor: ...
    def batches(self, n_steps: int, seed: int = 0) -> Any: ...
    def padding(self, x: torch.Tensor) -> torch.Tensor | None: ...


def seed_all(seed: int) -> None:
    """Seed Python, NumPy's global generator and torch."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def overfit_one_batch(loop: TrainingLoop, n: int = 16, steps: int = 150) -> float:
    """Evaluation loss on one batch of `n` after `steps` steps on it (near 0 if healthy)."""
    seed_all(0)
    train = loop.data()[0]
    x, y = train.x[:n], train.y[:n]
    model, opt = loop.make(0)
    for _ in range(steps):
        loop.step(model, opt, x, y)
    with torch.no_grad():
        return float(F.cross_entropy(loop.predict(model, x).float(), y))


def label_permutation(loop: TrainingLoop, steps: int = 150) -> tuple[float, float]:
    """Test accuracy trained on the loop's labels and on randomly permuted labels."""
    train, test = loop.data()
    accs = []
    for permute in (False, True):
        seed_all(0)
        model, opt = loop.make(0)
        perm = torch.randperm(len(train.y), generator=torch.Generator().manual_seed(7))
        for i, (x, y) in enumerate(loop.batches(steps)):
            if permute:  # same inputs, labels of random other rows
                y = train.y[perm[(torch.arange(len(y)) + i * len(y)) % len(perm)]]
            loop.step(model, opt, x, y)
        accs.append(float((loop.predict(model, test.x).argmax(1) == test.y).float().mean()))
    return accs[0], accs[1]


def first_divergence(loop: TrainingLoop, steps: int = 3) -> str | None:
    """Run `steps` steps twice from the same seed; name the first tensor that differs."""
    runs = []
    for _ in range(2):
        seed_all(0)
        model, opt = loop.make(0)
        record: list[tuple[str, torch.Tensor]] = []
        for i, (x, y) in enumerate(loop.batches(steps)):
            record += [(f"step {i} batch inputs", x), (f"step {i} batch labels", y)]
            loss = loop.step(model, opt, x, y)
            record.append((f"step {i} loss", torch.tensor(loss)))
            record += [
                (f"step {i} grad of {n}", p.grad.clone())
                for n, p in model.named_parameters()
                if p.grad is not None
            ]
            record += [(f"step {i} {n}", p.detach().clone()) for n, p in model.named_parameters()]
        runs.append(record)
    for (name, a), (_, b) in zip(*runs, strict=True):
        if a.shape != b.shape or not bool(((a == b) | (a.isnan() & b.isnan())).all()):
            return name  # NaN == NaN here: a run that is NaN both times is still deterministic
    return None


def stale_gradient(loop: TrainingLoop) -> float:
    """Relative gap between `.grad` after a step and a fresh gradient of that step's loss."""
    model, opt = loop.make(0)
    (x1, y1), (x2, y2) = list(loop.batches(2))
    loop.step(model, opt, x1, y1)
    params = [p for p in model.parameters() if p.requires_grad]
    torch.manual_seed(3)  # the same dropout masks for both gradients
    fresh = torch.autograd.grad(loop.loss(model, x2, y2), params, allow_unused=True)
    torch.manual_seed(3)
    loop.step(model, opt, x2, y2)
    gap = 0.0
    for p, g in zip(params, fresh, strict=True):
        if g is not None and p.grad is not None:
            gap = max(gap, float((p.grad - g).norm() / g.norm().clamp_min(1e-12)))
    return gap


def batch_mixing(loop: TrainingLoop, n: int = 8) -> float:
    """Largest gradient of sample 0's output with respect to other samples' inputs (eval)."""
    model, _ = loop.make(0)
    model.eval()
    x = loop.data()[0].x[:n].clone().requires_grad_(True)
    model(x)[0].sum().backward()
    assert x.grad is not None
    return float(x.grad[1:].abs().max())


def eval_mode_leaks(loop: TrainingLoop) -> tuple[float, list[str]]:
    """Largest change of `predict` between two calls and between whole and halved batches,
    and the modules left in training mode by `predict`."""
    model, _ = loop.make(0)
    x = loop.data()[1].x[:64]
    a, b = loop.predict(model, x), loop.predict(model, x)
    halves = torch.cat([loop.predict(model, x[:32]), loop.predict(model, x[32:])])
    gap = max(float((a - b).abs().max()), float((a - halves).abs().max()))
    model.train()
    seen: list[str] = []

    def note(mod: nn.Module, _i: object) -> None:
        if isinstance(mod, _RANDOM_OR_BATCH_DEPENDENT) and mod.training:
            seen.append(type(mod).__name__)

    handles = [m.register_forward_pre_hook(note) for m in model.modules()]
    loop.predict(model, x)
    for h in handles:
        h.remove()
    return gap, sorted(set(seen))


# modules whose training-mode forward is random or depends on the rest of the batch
_RANDOM_OR_BATCH_DEPENDENT = (
    nn.Dropout,
    nn.Dropout1d,
    nn.Dropout2d,
    nn.Dropout3d,
    nn.AlphaDropout,
    nn.BatchNorm1d,
    nn.BatchNorm2d,
    nn.BatchNorm3d,
)


def padding_leak(loop: TrainingLoop) -> float | None:
    """Largest change of `predict` when padded positions hold noise (None: no padding)."""
    model, _ = loop.make(0)
    x = loop.data()[1].x[:64]
    pad = loop.padding(x)
    if pad is None or not bool(pad.any()):
        return None
    noisy = torch.where(pad, torch.randn(x.shape, generator=torch.Generator().manual_seed(0)), x)
    return float((loop.predict(model, x) - loop.predict(model, noisy)).abs().max())
