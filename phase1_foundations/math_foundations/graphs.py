"""Random expression graphs, built the same way over our `Tensor` and over `torch.Tensor`.

Used by the parity checks, the tests and the bench: one op list (from a seed or from
hypothesis), two backends, and the values and leaf gradients compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

UNARY = ("exp_tanh", "log_sq", "tanh", "relu", "pow2", "sqrt_sq", "sum0", "mean1", "neg")
BINARY = ("add", "sub", "mul", "div_sq", "matmul")
OPS = UNARY + BINARY


def random_program(rng: np.random.Generator, n_ops: int) -> list[tuple[str, int, int]]:
    """`n_ops` steps (op, i, j): each reads earlier nodes i and j of the pool."""
    return [
        (str(rng.choice(OPS)), int(rng.integers(1 << 30)), int(rng.integers(1 << 30)))
        for _ in range(n_ops)
    ]


def leaves(rng: np.random.Generator, n: int, m: int) -> dict[str, np.ndarray]:
    """The leaf arrays of a graph: broadcastable shapes (n, m), (m,), (n, 1), weights (m, m)."""
    return {
        "x": rng.standard_normal((n, m)),
        "b": rng.standard_normal(m),
        "c": rng.standard_normal((n, 1)),
        "w": rng.standard_normal((m, m)) / np.sqrt(m),
        "out_weight": rng.standard_normal((n, m)),
    }


def run_program(program: Sequence[tuple[str, int, int]], leaf: dict[str, Any], be: Any) -> Any:
    """Evaluate the program with backend `be` (`OursBackend` or `TorchBackend`); a scalar."""
    pool = [leaf["x"], leaf["b"], leaf["c"]]
    for op, i, j in program:
        a, b = pool[i % len(pool)], pool[j % len(pool)]
        pool.append(_apply(op, a, b, leaf["w"], be))
    # Broadcast the last node back to (n, m) so the weighted sum touches every leaf shape.
    return be.sum(pool[-1] * leaf["out_weight"] + 0.0 * leaf["x"])


def _apply(op: str, a: Any, b: Any, w: Any, be: Any) -> Any:
    # Each op keeps values finite: log/sqrt/div see strictly positive inputs, exp sees [-1, 1].
    if op == "exp_tanh":
        return a.tanh().exp()
    if op == "log_sq":
        return (a * a + 0.5).log()
    if op == "tanh":
        return a.tanh()
    if op == "relu":
        return a.relu()
    if op == "pow2":
        return a**2
    if op == "sqrt_sq":
        return (a * a + 1.0) ** 0.5
    if op == "sum0":
        return be.sum(a, 0, True)
    if op == "mean1":
        return be.mean(a, -1, True)
    if op == "neg":
        return -a
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div_sq":
        return a / (b * b + 1.0)
    if op == "matmul":
        if a.ndim == 2 and a.shape[-1] == w.shape[0]:
            return a @ w
        return a + b  # shapes do not fit a matmul; fall back rather than skip the step
    raise ValueError(f"unknown op {op!r}")


class OursBackend:
    """Reductions of our `Tensor`."""

    @staticmethod
    def sum(t: Any, axis: int | None = None, keepdims: bool = False) -> Any:
        return t.sum(axis=axis, keepdims=keepdims)

    @staticmethod
    def mean(t: Any, axis: int | None = None, keepdims: bool = False) -> Any:
        return t.mean(axis=axis, keepdims=keepdims)


class TorchBackend:
    """The same reductions in torch's spelling."""

    @staticmethod
    def sum(t: Any, axis: int | None = None, keepdims: bool = False) -> Any:
        return t.sum() if axis is None else t.sum(dim=axis, keepdim=keepdims)

    @staticmethod
    def mean(t: Any, axis: int | None = None, keepdims: bool = False) -> Any:
        return t.mean() if axis is None else t.mean(dim=axis, keepdim=keepdims)


def value_and_grads(
    program: Sequence[tuple[str, int, int]], arrays: dict[str, np.ndarray], backend: str
) -> tuple[float, dict[str, np.ndarray]]:
    """Run the program in `"ours"` or `"torch"`; return the scalar and every leaf gradient."""
    if backend == "ours":
        from .autograd import Tensor

        leaf: dict[str, Any] = {k: Tensor(v, requires_grad=True) for k, v in arrays.items()}
        out = run_program(program, leaf, OursBackend)
        out.backward()
        return float(out.data), {
            k: t.grad if t.grad is not None else np.zeros_like(t.data) for k, t in leaf.items()
        }
    import torch

    leaf = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in arrays.items()}
    out = run_program(program, leaf, TorchBackend)
    out.backward()
    return float(out.item()), {
        k: t.grad.numpy() if t.grad is not None else np.zeros(t.shape) for k, t in leaf.items()
    }
