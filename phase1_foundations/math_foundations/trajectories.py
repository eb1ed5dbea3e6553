"""Train the same tiny MLP with our optimiser and with `torch.optim`; record both trajectories.

The loss is a two-layer tanh regression; gradients come from our autograd on our side and
from torch autograd on the other, so a match proves both the engine and the update rule.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .autograd import Tensor
from .optimizers import SGD, Adam, AdamW

# name -> (our class, torch.optim class name, keyword arguments shared by both)
CONFIGS: dict[str, tuple[type, str, dict[str, Any]]] = {
    "sgd": (SGD, "SGD", {"lr": 0.05}),
    "momentum": (SGD, "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 1e-3}),
    "nesterov": (SGD, "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}),
    "adam": (Adam, "Adam", {"lr": 0.01, "betas": (0.9, 0.99), "weight_decay": 1e-3}),
    "adamw": (AdamW, "AdamW", {"lr": 0.01, "weight_decay": 0.05}),
}


def problem(seed: int, n: int = 32, d: int = 4, h: int = 8) -> dict[str, np.ndarray]:
    """Data and initial weights of the regression problem."""
    rng = np.random.default_rng(seed)
    return {
        "X": rng.standard_normal((n, d)),
        "y": rng.standard_normal((n, 1)),
        "W1": rng.standard_normal((d, h)) / np.sqrt(d),
        "b1": np.zeros(h),
        "W2": rng.standard_normal((h, 1)) / np.sqrt(h),
    }


def trajectory(name: str, data: dict[str, np.ndarray], steps: int, backend: str) -> np.ndarray:
    """Flattened parameters after each of `steps` updates: shape (steps, n_params)."""
    ours_cls, torch_name, kwargs = CONFIGS[name]
    names = ("W1", "b1", "W2")
    if backend == "ours":
        params: list[Any] = [Tensor(data[k].copy(), requires_grad=True) for k in names]
        opt = ours_cls(params, **kwargs)
        X, y = Tensor(data["X"]), Tensor(data["y"])
        out = []
        for _ in range(steps):
            opt.zero_grad()
            pred = (X @ params[0] + params[1]).tanh() @ params[2]
            ((pred - y) ** 2).mean().backward()
            opt.step()
            out.append(np.concatenate([p.data.ravel() for p in params]))
        return np.stack(out)
    import torch

    params = [torch.tensor(data[k], dtype=torch.float64, requires_grad=True) for k in names]
    opt = getattr(torch.optim, torch_name)(params, **kwargs)
    X = torch.tensor(data["X"], dtype=torch.float64)
    y = torch.tensor(data["y"], dtype=torch.float64)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        pred = torch.tanh(X @ params[0] + params[1]) @ params[2]
        ((pred - y) ** 2).mean().backward()
        opt.step()
        out.append(np.concatenate([p.detach().numpy().ravel() for p in params]))
    return np.stack(out)
