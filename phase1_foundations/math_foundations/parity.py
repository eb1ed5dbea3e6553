"""Parity checks: autograd vs torch, optimisers vs torch.optim, PCA vs scikit-learn."""

from __future__ import annotations

from typing import Any

import numpy as np

from phase0_env.common.parity import ParityResult, compare, reference_version

from .graphs import leaves, random_program, value_and_grads
from .pca import PCA, power_iteration
from .trajectories import CONFIGS, problem, trajectory

# float64 everywhere. atol 1e-12 on gradients: entries that are exactly 0 in one engine can
# come out as ~1e-17 in the other (different summation order), where rtol alone cannot hold.
RTOL, ATOL = 1e-7, 1e-12


def checks() -> list[ParityResult]:
    """Every parity check of this milestone (a few seconds)."""
    return autograd_checks() + optimizer_checks() + pca_checks()


def autograd_checks(n_graphs: int = 40) -> list[ParityResult]:
    torch_ref = reference_version("torch")
    ours_grads: list[Any]
    ref_grads: list[Any]
    ours_vals, ref_vals, ours_grads, ref_grads = [], [], [], []
    for seed in range(n_graphs):
        rng = np.random.default_rng(seed)
        program, arrays = random_program(rng, 15), leaves(rng, 5, 4)
        v1, g1 = value_and_grads(program, arrays, "ours")
        v2, g2 = value_and_grads(program, arrays, "torch")
        ours_vals.append(v1)
        ref_vals.append(v2)
        ours_grads.extend(g1[k].ravel() for k in sorted(g1))
        ref_grads.extend(g2[k].ravel() for k in sorted(g2))
    return [
        compare(
            f"autograd values ({n_graphs} random graphs)",
            ours_vals,
            ref_vals,
            reference=torch_ref,
            rtol=RTOL,
            atol=ATOL,
        ),
        compare(
            f"autograd gradients ({n_graphs} random graphs)",
            np.concatenate(ours_grads),
            np.concatenate(ref_grads),
            reference=torch_ref,
            rtol=RTOL,
            atol=ATOL,
        ),
    ]


def optimizer_checks(steps: int = 50) -> list[ParityResult]:
    data = problem(0)
    ref = reference_version("torch")
    return [
        compare(
            f"{name} trajectory ({steps} steps)",
            trajectory(name, data, steps, "ours"),
            trajectory(name, data, steps, "torch"),
            reference=ref,
            rtol=RTOL,
            atol=ATOL,
        )
        for name in CONFIGS
    ]


def pca_checks() -> list[ParityResult]:
    from sklearn import decomposition

    ref = reference_version("scikit-learn")
    X = pca_data(500, 8, seed=0)
    out = []
    for solver, sk_solver in (("svd", "full"), ("eigh", "covariance_eigh")):
        ours = PCA(5, solver=solver).fit(X)
        sk = decomposition.PCA(5, svd_solver=sk_solver).fit(X)
        # atol on components: entries near 0 carry eigensolver rounding of order 1e-15.
        out += [
            compare(
                f"PCA[{solver}] components",
                ours.components_,
                sk.components_,
                reference=ref,
                rtol=RTOL,
                atol=1e-12,
            ),
            compare(
                f"PCA[{solver}] explained variance",
                ours.explained_variance_,
                sk.explained_variance_,
                reference=ref,
                rtol=RTOL,
            ),
            compare(
                f"PCA[{solver}] explained variance ratio",
                ours.explained_variance_ratio_,
                sk.explained_variance_ratio_,
                reference=ref,
                rtol=RTOL,
            ),
            compare(
                f"PCA[{solver}] transform",
                ours.transform(X),
                sk.transform(X),
                reference=ref,
                rtol=RTOL,
                atol=1e-10,
            ),
        ]
    C = np.cov(X, rowvar=False)
    lam, vec = power_iteration(C)
    evals, evecs = np.linalg.eigh(C)
    top = evecs[:, -1] * np.sign(evecs[np.argmax(np.abs(evecs[:, -1])), -1])
    np_ref = reference_version("numpy")
    out += [
        compare("power iteration top eigenvalue", lam, evals[-1], reference=np_ref, rtol=RTOL),
        compare(
            "power iteration top eigenvector", vec, top, reference=np_ref, rtol=RTOL, atol=1e-10
        ),
    ]
    return out


def pca_data(n: int, d: int, seed: int) -> np.ndarray:
    """Correlated Gaussian data with a clear spectrum (distinct eigenvalues)."""
    rng = np.random.default_rng(seed)
    scales = np.linspace(3.0, 0.3, d)
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return (rng.standard_normal((n, d)) * scales) @ Q.T + rng.standard_normal(d)
