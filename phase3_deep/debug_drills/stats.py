"""Per-layer activation and gradient statistics, and update-to-weight ratios.

Attach `LayerStats` to any model: forward hooks record each leaf module's output mean, std
and dead fraction; `grad_norms` and `update_ratios` read the parameters after a step.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

EXPLODING_GRAD = 1e3  # a per-tensor gradient norm above this is an explosion
VANISHING_ACT = 1e-3  # an activation std below this carries no signal
VANISHING_GRAD = 1e-3  # a weight matrix gradient norm below this at step 0 (healthy: >= 0.018)
EXPLODING_UPDATE = 1.0  # one step moved a weight matrix by more than its own norm


@dataclass
class ActStat:
    """Output statistics of one module on one batch."""

    module: str
    mean: float
    std: float
    dead: float  # fraction of exactly-zero outputs


class LayerStats:
    """Forward hooks that record every leaf module's output statistics until `close()`."""

    def __init__(self, model: nn.Module) -> None:
        self.acts: list[ActStat] = []
        self._handles = [
            m.register_forward_hook(self._hook(name))
            for name, m in model.named_modules()
            if name and not list(m.children())
        ]

    def _hook(self, name: str):  # type: ignore[no-untyped-def]
        def record(_m: nn.Module, _i: object, out: object) -> None:
            if isinstance(out, torch.Tensor) and out.is_floating_point() and out.numel() > 1:
                o = out.detach().float()
                self.acts.append(
                    ActStat(name, float(o.mean()), float(o.std()), float((o == 0).float().mean()))
                )

        return record

    def close(self) -> None:
        """Remove the hooks."""
        for h in self._handles:
            h.remove()


def grad_norms(model: nn.Module) -> dict[str, float]:
    """L2 norm of each parameter's gradient (parameters without a gradient are left out)."""
    return {n: float(p.grad.norm()) for n, p in model.named_parameters() if p.grad is not None}


def snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    """A detached copy of every parameter."""
    return {n: p.detach().clone() for n, p in model.named_parameters()}


def update_ratios(before: dict[str, torch.Tensor], model: nn.Module) -> dict[str, float]:
    """||w_after - w_before|| / ||w_before|| per weight matrix (biases and vectors left out)."""
    out = {}
    for n, p in model.named_parameters():
        if p.dim() >= 2:
            w = before[n]
            out[n] = float((p.detach() - w).norm() / w.norm().clamp_min(1e-12))
    return out
