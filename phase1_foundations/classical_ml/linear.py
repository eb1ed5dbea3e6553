"""Least squares (QR via lstsq) and ridge regression (closed form)."""

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
    """L2-penalised least squares: min ||X w + b - y||^2 + alpha ||w||^2."""

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X: Any, y: Any) -> Ridge:
        """Closed form (X^T X + alpha I)^{-1} X^T y, solved by Cholesky-stable `solve`."""
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {self.alpha!r}")
        X, y = check_x_y(X, y, y_numeric=True)
        Xc, yc, x_mean, y_mean = self._center(X, y)
        gram = Xc.T @ Xc
        gram[np.diag_indices_from(gram)] += self.alpha
        try:
            self.coef_ = np.linalg.solve(gram, Xc.T @ yc)
        except np.linalg.LinAlgError:  # alpha == 0 with a singular Gram matrix
            self.coef_ = np.linalg.lstsq(Xc, yc, rcond=None)[0]
        self.n_features_in_ = X.shape[1]
        self._set_intercept(x_mean, y_mean)
        return self
