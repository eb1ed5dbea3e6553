"""A small reverse-mode autograd engine over NumPy float64 arrays (micrograd, but for tensors).

Scope: elementwise add/sub/mul/div, scalar `pow`, exp, log, tanh, relu, matmul (ndim >= 2,
batch dims broadcast), sum and mean over axes, with NumPy broadcasting everywhere. Gradients
are accumulated into `.grad` by `backward()`, like `torch.Tensor.backward`.

Simplifications: no in-place ops, no higher-order gradients, float64 only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

ArrayLike = Any


class Tensor:
    """An ndarray that remembers how it was computed, so `backward()` can find gradients."""

    def __init__(
        self,
        data: ArrayLike,
        requires_grad: bool = False,
        _parents: tuple[Tensor, ...] = (),
    ) -> None:
        arr = np.asarray(data, dtype=np.float64)
        self.data: np.ndarray = arr
        self.requires_grad: bool = requires_grad or any(p.requires_grad for p in _parents)
        self.grad: np.ndarray | None = None
        self._parents = _parents
        self._backward: Callable[[np.ndarray], Any] = lambda g: None

    # ---- public API -------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def __repr__(self) -> str:
        return f"Tensor({self.data!r}, requires_grad={self.requires_grad})"

    def backward(self, grad: ArrayLike | None = None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's `.grad` (seed 1 for a scalar)."""
        if grad is None:
            if self.data.size != 1:
                raise ValueError("grad can be implicitly created only for scalar outputs")
            grad = np.ones_like(self.data)
        grads: dict[int, np.ndarray] = {id(self): np.asarray(grad, dtype=np.float64)}
        for node in reversed(_topological_order(self)):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if not node._parents:  # a leaf: keep the gradient, like torch's .grad
                node.grad = g.copy() if node.grad is None else node.grad + g
                continue
            for parent, pg in zip(node._parents, node._backward(g), strict=True):
                if pg is None or not parent.requires_grad:
                    continue
                pg = _unbroadcast(pg, parent.shape)
                grads[id(parent)] = grads[id(parent)] + pg if id(parent) in grads else pg

    def zero_grad(self) -> None:
        """Forget the accumulated gradient."""
        self.grad = None

    # ---- elementwise arithmetic -------------------------------------------------------
    def __add__(self, other: ArrayLike) -> Tensor:
        o = _as_tensor(other)
        return _make(self.data + o.data, (self, o), lambda g: (g, g))

    __radd__ = __add__

    def __neg__(self) -> Tensor:
        return _make(-self.data, (self,), lambda g: (-g,))

    def __sub__(self, other: ArrayLike) -> Tensor:
        o = _as_tensor(other)
        return _make(self.data - o.data, (self, o), lambda g: (g, -g))

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return _as_tensor(other) - self

    def __mul__(self, other: ArrayLike) -> Tensor:
        o = _as_tensor(other)
        return _make(self.data * o.data, (self, o), lambda g: (g * o.data, g * self.data))

    __rmul__ = __mul__

    def __truediv__(self, other: ArrayLike) -> Tensor:
        o = _as_tensor(other)
        out = self.data / o.data
        return _make(out, (self, o), lambda g: (g / o.data, -g * out / o.data))

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return _as_tensor(other) / self

    def __pow__(self, exponent: float) -> Tensor:
        """Raise to a constant (Python number) power."""
        if isinstance(exponent, Tensor):
            raise TypeError("only constant exponents are supported")
        p = float(exponent)
        return _make(self.data**p, (self,), lambda g: (g * p * self.data ** (p - 1.0),))

    def __matmul__(self, other: ArrayLike) -> Tensor:
        o = _as_tensor(other)
        if self.ndim < 2 or o.ndim < 2:
            raise ValueError(f"matmul needs ndim >= 2 operands, got {self.shape} @ {o.shape}")
        a, b = self.data, o.data
        return _make(
            a @ b,
            (self, o),
            lambda g: (g @ np.swapaxes(b, -1, -2), np.swapaxes(a, -1, -2) @ g),
        )

    # ---- elementwise functions --------------------------------------------------------
    def exp(self) -> Tensor:
        out = np.exp(self.data)
        return _make(out, (self,), lambda g: (g * out,))

    def log(self) -> Tensor:
        return _make(np.log(self.data), (self,), lambda g: (g / self.data,))

    def tanh(self) -> Tensor:
        out = np.tanh(self.data)
        return _make(out, (self,), lambda g: (g * (1.0 - out * out),))

    def relu(self) -> Tensor:
        # d relu / dx at exactly 0 is 0, as in torch.
        mask = self.data > 0
        return _make(np.where(mask, self.data, 0.0), (self,), lambda g: (g * mask,))

    # ---- reductions -------------------------------------------------------------------
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        out = self.data.sum(axis=axis, keepdims=keepdims)
        shape = self.shape

        def grad_fn(g: np.ndarray) -> tuple[np.ndarray]:
            if not keepdims and axis is not None:
                g = np.expand_dims(g, _normalise_axes(axis, len(shape)))
            return (np.broadcast_to(g, shape),)

        return _make(out, (self,), grad_fn)

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        axes = _normalise_axes(axis, self.ndim) if axis is not None else tuple(range(self.ndim))
        count = int(np.prod([self.shape[a] for a in axes])) if axes else 1
        return self.sum(axis=axis, keepdims=keepdims) / float(count)


def tensor(data: ArrayLike, requires_grad: bool = False) -> Tensor:
    """Create a leaf tensor (float64)."""
    return Tensor(data, requires_grad=requires_grad)


# ---- helpers ------------------------------------------------------------------------------
def _as_tensor(x: ArrayLike) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _make(
    data: np.ndarray, parents: tuple[Tensor, ...], grad_fn: Callable[[np.ndarray], tuple]
) -> Tensor:
    out = Tensor(data, _parents=parents)
    out._backward = grad_fn
    return out


def _normalise_axes(axis: int | Iterable[int], ndim: int) -> tuple[int, ...]:
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(a % ndim for a in axes))


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` over the axes that broadcasting added or stretched, back to `shape`.

    >>> _unbroadcast(np.ones((2, 3)), (3,)).tolist()
    [2.0, 2.0, 2.0]
    """
    grad = np.asarray(grad)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1 and grad.shape[i] != 1:
            grad = grad.sum(axis=i, keepdims=True)
    # np.require, not np.ascontiguousarray: the latter turns a 0-d gradient into shape (1,).
    return np.require(grad.reshape(shape), requirements="C")


def _topological_order(root: Tensor) -> list[Tensor]:
    """Nodes ordered so that every node comes after its parents (iterative DFS)."""
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((p, False) for p in node._parents if id(p) not in seen)
    return order
