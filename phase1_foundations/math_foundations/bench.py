"""Bench: our autograd vs torch autograd (MLP forward+backward), our Adam vs torch.optim.Adam,
our PCA vs scikit-learn's, each at three sizes on the same data."""

from __future__ import annotations

import numpy as np

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .autograd import Tensor
from .optimizers import Adam
from .parity import pca_data
from .pca import PCA


def run(quick: bool = False) -> list[BenchRow]:
    """Rows for autograd (batch size), Adam (parameter count) and PCA (samples)."""
    import torch

    torch.set_num_threads(1)  # same footing as single-threaded NumPy on a shared machine
    rows = []
    for n in sizes(quick, full=(1_000, 10_000, 100_000), small=(100, 1_000, 10_000)):
        rows.append(_autograd_row(n, torch))
    for n in sizes(quick, full=(10_000, 1_000_000, 10_000_000), small=(1_000, 10_000, 100_000)):
        rows.append(_adam_row(n, torch))
    for n in sizes(quick, full=(10_000, 100_000, 1_000_000), small=(1_000, 10_000, 50_000)):
        rows.append(_pca_row(n))
    return rows


def _autograd_row(n: int, torch) -> BenchRow:
    rng = np.random.default_rng(0)
    X, W1, W2 = (
        rng.standard_normal((n, 32)),
        rng.standard_normal((32, 64)),
        rng.standard_normal((64, 1)),
    )

    def ours() -> np.ndarray:
        w1, w2 = Tensor(W1, requires_grad=True), Tensor(W2, requires_grad=True)
        ((Tensor(X) @ w1).tanh() @ w2).mean().backward()
        assert w1.grad is not None
        return w1.grad

    def ref() -> np.ndarray:
        w1 = torch.tensor(W1, requires_grad=True)
        w2 = torch.tensor(W2, requires_grad=True)
        (torch.tanh(torch.tensor(X) @ w1) @ w2).mean().backward()
        return w1.grad.numpy()

    err = float(np.max(np.abs(ours() - ref())))
    return compare(
        "autograd mlp fwd+bwd",
        n,
        ours,
        ref,
        reference=reference_version("torch"),
        repeats=3,
        quality={"max_abs_grad_diff": err},
    )


def _adam_row(n: int, torch) -> BenchRow:
    rng = np.random.default_rng(0)
    p0, grad = rng.standard_normal(n), rng.standard_normal(n)

    def ours() -> np.ndarray:
        p = Tensor(p0.copy(), requires_grad=True)
        opt = Adam([p], lr=1e-2)
        for _ in range(10):
            p.grad = grad
            opt.step()
        return p.data

    def ref() -> np.ndarray:
        p = torch.tensor(p0.copy(), requires_grad=True)
        opt = torch.optim.Adam([p], lr=1e-2, foreach=False)
        for _ in range(10):
            p.grad = torch.from_numpy(grad)
            opt.step()
        return p.detach().numpy()

    err = float(np.max(np.abs(ours() - ref())))
    return compare(
        "adam 10 steps",
        n,
        ours,
        ref,
        reference=reference_version("torch"),
        repeats=3,
        quality={"max_abs_param_diff": err},
    )


def _pca_row(n: int) -> BenchRow:
    from sklearn import decomposition

    X = pca_data(n, 20, seed=0)
    ours = PCA(5, solver="eigh").fit(X)
    sk = decomposition.PCA(5, svd_solver="covariance_eigh").fit(X)
    err = float(np.max(np.abs(ours.components_ - sk.components_)))
    return compare(
        "pca covariance-eigh k=5 d=20",
        n,
        lambda: PCA(5, solver="eigh").fit(X),
        lambda: decomposition.PCA(5, svd_solver="covariance_eigh").fit(X),
        reference=reference_version("scikit-learn"),
        repeats=3,
        quality={"max_abs_component_diff": err},
    )
