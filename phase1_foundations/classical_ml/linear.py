"""Least squares (SVD via lstsq) and ridge regression (closed form, or SVD when singular)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import Regressor
from .validation import check_array, check_is_fitted, check_n_features, check_x_y


class _LinearModel(Regressor):
    fit_intercept: bool  # set by each subclass's constructor
    coef_: np.ndarray  # set by fit

    def _center(
        self, X: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        # Centering solves for the unpenalised intercept separately, as scikit-learn does.
        if self.fit_intercept:
            x_mean, y_mean = X.mean(axis=0), float(y.mean())
            return X - x_mean, y - y_mean, x_mean, y_mean
        return X, y, np.zeros(X.shape[1]), 0.0

    def _set_intercept(self, x_mean: np.ndarray, y_mean: float) -> None:
        self.intercept_ = y_mean - float(x_mean @ self.coef_) if self.fit_intercept else 0.0

    def predict(self, X: Any) -> np.ndarray:
        """X @ coef_ + intercept_."""
        check_is_fitted(self, "coef_")
        X = check_array(X)
        check_n_features(self, X)
        return X @ self.coef_ + self.intercept_


class LinearRegression(_LinearModel):
    """Ordinary least squares; the minimum-norm solution when X is rank deficient."""

    def __init__(self, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def fit(self, X: Any, y: Any) -> LinearRegression:
        """Solve min ||X w + b - y||^2."""
        X, y = check_x_y(X, y, y_numeric=True)
        Xc, yc, x_mean, y_mean = self._center(X, y)
        self.coef_, _, self.rank_, self.singular_ = np.linalg.lstsq(Xc, yc, rcond=None)
        self.n_features_in_ = X.shape[1]
        self._set_intercept(x_mean, y_mean)
        return self


class Ridge(_LinearModel):
    """L2-penalised least squares: min ||X w + b - y||^2 + alpha ||w||^2.

    A well-conditioned system is solved from the normal equations; a numerically singular
    one (rank-deficient X with a tiny or zero alpha) by the SVD of X, which gives the
    minimum-norm least-squares answer at alpha=0, as scikit-learn's LinearRegression does.
    """

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X: Any, y: Any) -> Ridge:
        """(X^T X + alpha I) w = X^T y by an LU solve, or by the SVD when that is singular."""
        if not np.isfinite(self.alpha) or self.alpha < 0:
            raise ValueError(f"alpha must be a finite number >= 0, got {self.alpha!r}")
        X, y = check_x_y(X, y, y_numeric=True)
        Xc, yc, x_mean, y_mean = self._center(X, y)
        gram = Xc.T @ Xc
        gram[np.diag_indices_from(gram)] += self.alpha
        # eigvalsh costs d^3, small next to the n d^2 of the Gram matrix when n >= d
        eig = np.linalg.eigvalsh(gram) if X.shape[0] >= X.shape[1] else None
        self.solver_ = "svd"
        if eig is not None and eig[0] > eig[-1] * MAX_GRAM_RCOND:
            self.solver_ = "lu"
            self.coef_ = np.linalg.solve(gram, Xc.T @ yc)
        else:
            self.coef_ = ridge_svd(Xc, yc, float(self.alpha))
        self.n_features_in_ = X.shape[1]
        self._set_intercept(x_mean, y_mean)
        return self


# Solving the normal equations loses log10(cond) digits; past 1/sqrt(eps) (about 7e7) more
# than half of float64's are gone, and at cond ~ 1/eps (a rank-deficient X) `solve` still
# returns numbers, just meaningless ones (1e19 coefficients), so the SVD takes over.
MAX_GRAM_RCOND = float(np.sqrt(np.finfo(np.float64).eps))


def ridge_svd(X: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge coefficients V diag(s / (s^2 + alpha)) U^T y, dropping singular values that are
    rounding noise (s <= eps * max(n, d) * s_max, lstsq's cut-off): minimum norm at alpha=0.
    """
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    keep = s > np.finfo(np.float64).eps * max(X.shape) * (s[0] if s.size else 0.0)
    d = np.zeros_like(s)
    d[keep] = s[keep] / (s[keep] ** 2 + alpha)
    return Vt.T @ (d * (U.T @ y))
