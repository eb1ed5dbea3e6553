"""Demo: one expression through our autograd and torch, an Adam run vs torch.optim, PCA vs
scikit-learn, and power iteration vs numpy.linalg.eigh."""

from __future__ import annotations

import numpy as np

from .autograd import Tensor
from .parity import checks, pca_data
from .pca import PCA, power_iteration


def main(quick: bool = False) -> None:
    """Print a worked example and every parity check against torch / scikit-learn."""
    x = Tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
    w = Tensor([[0.3], [-0.7]], requires_grad=True)
    loss = ((x @ w).tanh() ** 2 + x.relu().sum(axis=1, keepdims=True)).mean()
    loss.backward()
    print(f"loss = {float(loss.data):.6f}")
    print("d loss / d x =\n", x.grad)
    print("d loss / d w =\n", w.grad)

    X = pca_data(300, 6, seed=1)
    pca = PCA(3).fit(X)
    print("PCA explained variance ratio:", np.round(pca.explained_variance_ratio_, 4))
    lam, _ = power_iteration(np.cov(X, rowvar=False))
    print(
        f"power iteration top eigenvalue {lam:.6f} (eigh: "
        f"{np.linalg.eigvalsh(np.cov(X, rowvar=False))[-1]:.6f})"
    )

    print("\nparity with torch / scikit-learn:")
    for r in checks():
        mark = "ok " if r.passed else "FAIL"
        print(f"  [{mark}] {r.name:<42} max err {r.max_error:.2e}  ({r.reference})")
