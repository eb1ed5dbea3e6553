"""Autograd, Adam and PCA, the idea only (micrograd-sized).

`Value` is one scalar that remembers how it was made; `backward` applies the chain rule in
reverse topological order. `adam_step` is one Adam update written from the paper's formulas.
`pca` is the SVD of the centred data. The full versions (`autograd.py` for whole arrays with
broadcasting, `optimizers.py`, `pca.py`) add what real use needs; the tests check both
against torch and scikit-learn.
"""

from __future__ import annotations

import math

import numpy as np


class Value:
    """A scalar in a computation graph: its value, its gradient, and how to pass one back."""

    def __init__(self, data: float, parents: tuple[Value, ...] = ()) -> None:
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.backward_step = lambda: None  # adds this node's grad into its parents' grads

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def step() -> None:  # d(a+b)/da = d(a+b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out.backward_step = step
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def step() -> None:  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out.backward_step = step
        return out

    def tanh(self) -> Value:
        out = Value(math.tanh(self.data), (self,))

        def step() -> None:  # d tanh(a)/da = 1 - tanh(a)^2
            self.grad += (1.0 - out.data**2) * out.grad

        out.backward_step = step
        return out

    def backward(self) -> None:
        """Fill `.grad` of every Value this one depends on with d(self)/d(that Value).

        Order the graph so each node comes after everything it was made from, set this
        node's grad to 1, then run each node's `backward_step` from the last node to the first.
        Hint: a depth-first search that appends a node after visiting its parents.
        """
        order: list[Value] = []
        seen: set[int] = set()

        def visit(node: Value) -> None:
            if id(node) not in seen:
                seen.add(id(node))
                for parent in node.parents:
                    visit(parent)
                order.append(node)  # after all its parents: a topological order

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node.backward_step()


def adam_step(
    param: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Adam update at step t (1, 2, ...): returns (new param, new m, new v).

    m, v are running means of grad and grad^2; divide each by (1 - beta^t) to remove the
    bias of their zero start, then step by lr * m_hat / (sqrt(v_hat) + eps).
    Hint: five lines, one per formula of Kingma & Ba's Algorithm 1.
    """
    b1, b2 = betas
    m = b1 * m + (1 - b1) * grad
    v = b2 * v + (1 - b2) * grad**2
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def pca(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The top-k principal components (k, d) of X (n, d) and their explained variances (k,).

    Centre the columns, take the SVD, keep the first k right singular vectors; flip each so
    its largest-magnitude entry is positive (scikit-learn's sign rule). Variance = s^2/(n-1).
    Hint: `np.linalg.svd(Xc, full_matrices=False)` returns U, s, Vt, rows of Vt sorted by s.
    """
    Xc = X - X.mean(axis=0)  # (n, d)
    _, s, vt = np.linalg.svd(Xc, full_matrices=False)  # s: (min(n,d),), vt: (min(n,d), d)
    components = vt[:k]  # (k, d)
    biggest = np.argmax(np.abs(components), axis=1)  # (k,) column of each row's largest entry
    signs = np.sign(components[np.arange(k), biggest])  # (k,)
    return components * signs[:, None], s[:k] ** 2 / (len(X) - 1)
