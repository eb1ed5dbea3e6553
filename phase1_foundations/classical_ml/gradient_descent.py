"""Full-batch gradient-descent linear regression with SGD, momentum, Nesterov or Adam.

The update rules are torch.optim's (SGD with momentum/nesterov, Adam), applied to the mean
squared error plus an optional L2 term, so the iterates converge to Ridge's solution.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import Regressor
from .validation import check_array, check_is_fitted, check_n_features, check_x_y

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam")


class GDRegressor(Regressor):
    """Minimises 0.5 * mean((X w + b - y)^2) + 0.5 * alpha * ||w||^2 by gradient steps."""

    def __init__(
        self,
        optimizer: str = "adam",
        learning_rate: float = 0.01,
        momentum: float = 0.9,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        alpha: float = 0.0,
        max_iter: int = 1000,
        tol: float = 1e-10,
    ) -> None:
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.betas = betas
        self.eps = eps
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: Any, y: Any) -> GDRegressor:
        """Run up to `max_iter` steps; stop when the gradient's max-norm is below `tol`."""
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        X, y = check_x_y(X, y, y_numeric=True)
        n, d = X.shape
        params = np.zeros(d + 1)  # weights then intercept
        state: dict[str, Any] = {"t": 0, "buf": None, "m": np.zeros(d + 1), "v": np.zeros(d + 1)}
        self.loss_curve_ = []
        for _ in range(self.max_iter):
            resid = X @ params[:d] + params[d] - y
            self.loss_curve_.append(
                0.5 * float(resid @ resid) / n + 0.5 * self.alpha * float(params[:d] @ params[:d])
            )
            grad = np.append(X.T @ resid / n + self.alpha * params[:d], resid.mean())
            if np.max(np.abs(grad)) < self.tol:
                break
            params = params - self.step(grad, state)
        self.coef_, self.intercept_ = params[:d], float(params[d])
        self.n_iter_ = len(self.loss_curve_)
        self.n_features_in_ = d
        return self

    def step(self, grad: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        """The update to subtract from the parameters (torch.optim's rules)."""
        lr, mu = self.learning_rate, self.momentum
        state["t"] += 1
        if self.optimizer == "sgd":
            return lr * grad
        if self.optimizer in ("momentum", "nesterov"):
            buf = grad.copy() if state["buf"] is None else mu * state["buf"] + grad
            state["buf"] = buf
            return lr * (grad + mu * buf if self.optimizer == "nesterov" else buf)
        b1, b2 = self.betas
        state["m"] = b1 * state["m"] + (1 - b1) * grad
        state["v"] = b2 * state["v"] + (1 - b2) * grad * grad
        m_hat = state["m"] / (1 - b1 ** state["t"])
        v_hat = state["v"] / (1 - b2 ** state["t"])
        return lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def predict(self, X: Any) -> np.ndarray:
        """X @ coef_ + intercept_."""
        check_is_fitted(self, "coef_")
        X = check_array(X)
        check_n_features(self, X)
        return X @ self.coef_ + self.intercept_
