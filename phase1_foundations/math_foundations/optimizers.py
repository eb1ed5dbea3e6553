"""SGD (plain, momentum, Nesterov), Adam and AdamW over `Tensor` parameters.

Each `step()` follows the update rule of the matching `torch.optim` class (single-tensor
path, PyTorch 2.x), including its order of floating-point operations where that matters,
so parameter trajectories agree step by step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .autograd import Tensor


class Optimizer:
    """Holds the parameters; subclasses implement `_update(i, param, grad)`."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        if not lr > 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        self.lr = lr
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]
        self.step_count = 0

    def zero_grad(self) -> None:
        """Clear every parameter's gradient."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Update every parameter that has a gradient, in place."""
        self.step_count += 1
        for i, p in enumerate(self.params):
            if p.grad is not None:
                self._update(i, p, p.grad)

    def _update(self, i: int, p: Tensor, grad: np.ndarray) -> None:  # pragma: no cover
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay."""

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.momentum, self.dampening = momentum, dampening
        self.nesterov, self.weight_decay = nesterov, weight_decay

    def _update(self, i: int, p: Tensor, grad: np.ndarray) -> None:
        d_p = grad + self.weight_decay * p.data if self.weight_decay else grad
        if self.momentum:
            state = self.state[i]
            if "buf" not in state:
                state["buf"] = d_p.copy()  # torch starts the buffer at the first gradient
            else:
                state["buf"] = self.momentum * state["buf"] + (1 - self.dampening) * d_p
            buf = state["buf"]
            d_p = d_p + self.momentum * buf if self.nesterov else buf
        p.data = p.data - self.lr * d_p


class Adam(Optimizer):
    """Adam with bias correction; `weight_decay` is L2 added to the gradient (torch.optim.Adam)."""

    decoupled = False

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if not (0 <= betas[0] < 1 and 0 <= betas[1] < 1):
            raise ValueError(f"betas must be in [0, 1), got {betas}")
        self.betas, self.eps, self.weight_decay = betas, eps, weight_decay

    def _update(self, i: int, p: Tensor, grad: np.ndarray) -> None:
        b1, b2 = self.betas
        if self.weight_decay:
            if self.decoupled:
                p.data = p.data * (1 - self.lr * self.weight_decay)
            else:
                grad = grad + self.weight_decay * p.data
        state = self.state[i]
        m = state.get("m", np.zeros_like(p.data))
        v = state.get("v", np.zeros_like(p.data))
        m = m + (1 - b1) * (grad - m)  # torch uses lerp for the first moment
        v = v * b2 + (1 - b2) * grad * grad
        state["m"], state["v"] = m, v
        t = self.step_count
        step_size = self.lr / (1 - b1**t)
        denom = np.sqrt(v) / math.sqrt(1 - b2**t) + self.eps
        p.data = p.data - step_size * (m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (torch.optim.AdamW; default weight_decay 0.01)."""

    decoupled = True

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)
