"""PCA by SVD of the centred data or by eigendecomposition of its covariance; power iteration.

Sign convention: like scikit-learn (`svd_flip(u_based_decision=False)`), each component's
largest-magnitude entry is made positive, so components are comparable element by element.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from phase1_foundations.common.errors import check_is_fitted

SOLVERS = ("svd", "eigh")


class PCA:
    """Principal component analysis with the scikit-learn attribute names."""

    def __init__(self, n_components: int | None = None, solver: str = "svd") -> None:
        self.n_components = n_components
        self.solver = solver

    def fit(self, X: np.ndarray) -> PCA:
        """Learn the mean, components and explained variance of `X` (n_samples, n_features)."""
        X = _check_2d(X)
        if self.solver not in SOLVERS:
            raise ValueError(f"solver must be one of {SOLVERS}, got {self.solver!r}")
        n, d = X.shape
        if n < 2:
            raise ValueError(f"PCA needs at least 2 samples, got {n}")
        k = min(n, d) if self.n_components is None else int(self.n_components)
        if not 1 <= k <= min(n, d):
            raise ValueError(f"n_components={k} must be in [1, min(n_samples, n_features)]")
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        if self.solver == "svd":
            _, s, vt = np.linalg.svd(Xc, full_matrices=False)
            variance = s**2 / (n - 1)
        else:
            cov = Xc.T @ Xc / (n - 1)
            evals, evecs = np.linalg.eigh(cov)
            order = np.argsort(evals)[::-1]
            variance = np.clip(evals[order], 0.0, None)  # tiny negative from rounding
            vt = evecs[:, order].T
        vt = _flip_signs(vt)
        total = variance.sum() if self.solver == "svd" else np.trace(Xc.T @ Xc) / (n - 1)
        self.components_ = vt[:k]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = variance[:k] / total
        self.singular_values_ = np.sqrt(variance[:k] * (n - 1))
        self.n_components_ = k
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Project `X` onto the learned components."""
        check_is_fitted(self, "components_")
        X = _check_2d(X)
        if X.shape[1] != self.mean_.shape[0]:
            raise ValueError(
                f"X has {X.shape[1]} features, but PCA is expecting {self.mean_.shape[0]} "
                "features as input."
            )
        return (X - self.mean_) @ self.components_.T

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        """Map projected data back to the original space."""
        check_is_fitted(self, "components_")
        return np.asarray(Z, dtype=np.float64) @ self.components_ + self.mean_


def power_iteration(
    A: np.ndarray, *, tol: float = 1e-13, max_iter: int = 10_000, seed: int = 0
) -> tuple[float, np.ndarray]:
    """Largest-magnitude eigenvalue and unit eigenvector of a symmetric matrix `A`."""
    A = _check_2d(A)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"power iteration needs a square matrix, got {A.shape}")
    v = cast(np.ndarray, np.random.default_rng(seed).standard_normal(A.shape[0]))
    v /= np.linalg.norm(v)
    lam = 0.0
    for _ in range(max_iter):
        w = A @ v
        norm = np.linalg.norm(w)
        if norm == 0:
            return 0.0, v
        w /= norm
        lam_new = float(w @ A @ w)  # Rayleigh quotient
        # Converged when the direction stops moving (up to sign).
        if min(np.linalg.norm(w - v), np.linalg.norm(w + v)) < tol:
            lam = lam_new
            v = w
            break
        v, lam = w, lam_new
    else:
        raise RuntimeError(f"power iteration did not converge in {max_iter} steps")
    return lam, _flip_signs(v[None, :])[0]


def _flip_signs(vt: np.ndarray) -> np.ndarray:
    """Make the largest-|.| entry of each row positive (scikit-learn's svd_flip on V^T)."""
    idx = np.argmax(np.abs(vt), axis=1)
    signs = np.sign(vt[np.arange(vt.shape[0]), idx])
    signs[signs == 0] = 1.0
    return vt * signs[:, None]


def _check_2d(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"expected a 2-D array, got shape {X.shape}")
    if X.size == 0:
        raise ValueError("empty input")
    if not np.all(np.isfinite(X)):
        raise ValueError("input contains NaN or infinity")
    return X
