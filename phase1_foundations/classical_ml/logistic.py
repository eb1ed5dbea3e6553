"""L2-penalised logistic regression (binary and multinomial) fitted by Newton's method.

Objective (scikit-learn's, with its `C`): C * sum_i loss_i + 0.5 * ||W||^2, intercept not
penalised. Newton with a backtracking line search converges quadratically, so a tight
gradient tolerance costs a handful of iterations. The multinomial intercepts are only
defined up to a common shift; like lbfgs started at zero, we keep them summing to zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import Classifier
from .validation import (
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_n_features,
    check_x_y,
)


def _log_softmax(Z: np.ndarray) -> np.ndarray:
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


class LogisticRegression(Classifier):
    """Binary (sigmoid) or multinomial (softmax) logistic regression."""

    def __init__(
        self, C: float = 1.0, fit_intercept: bool = True, tol: float = 1e-10, max_iter: int = 100
    ) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X: Any, y: Any) -> LogisticRegression:
        """Minimise the penalised log-loss to gradient max-norm `tol` (per sample)."""
        if not self.C > 0:
            raise ValueError(f"C must be > 0, got {self.C!r}")
        X, y = check_x_y(X, y)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {self.classes_[0]!r}"
            )
        n, d = X.shape
        Xa = np.hstack([X, np.ones((n, 1))]) if self.fit_intercept else X
        binary = len(self.classes_) == 2
        K = 1 if binary else len(self.classes_)
        Y = codes[:, None].astype(float) if binary else np.eye(K)[codes]
        W = np.zeros((Xa.shape[1], K))
        self.n_iter_ = np.array([0])
        for it in range(self.max_iter):
            f, g, H = self._objective(Xa, Y, W, binary, d, hessian=True)
            assert H is not None
            if np.max(np.abs(g)) / n <= self.tol:
                break
            step = -np.linalg.solve(H, g.ravel(order="F")).reshape(W.shape, order="F")
            t = 1.0
            while t > 1e-12:  # backtracking (Armijo) line search
                f_new = self._objective(Xa, Y, W + t * step, binary, d)[0]
                if f_new <= f + 1e-4 * t * float(np.sum(g * step)):
                    break
                t *= 0.5
            W = W + t * step
            self.n_iter_ = np.array([it + 1])
        self.coef_ = W[:d].T.copy()
        self.intercept_ = W[d].copy() if self.fit_intercept else np.zeros(K)
        self.n_features_in_ = d
        return self

    def _objective(
        self,
        Xa: np.ndarray,
        Y: np.ndarray,
        W: np.ndarray,
        binary: bool,
        d: int,
        hessian: bool = False,
    ) -> tuple[float, np.ndarray, np.ndarray | None]:
        Z = Xa @ W
        reg = W.copy()
        reg[d:] = 0.0  # the intercept row is not penalised
        if binary:
            z = Z[:, 0]
            loss = float(np.sum(np.logaddexp(0.0, z) - Y[:, 0] * z))
            P = 1.0 / (1.0 + np.exp(-z))
            resid = (P - Y[:, 0])[:, None]
        else:
            logp = _log_softmax(Z)
            loss = -float(np.sum(Y * logp))
            P = np.exp(logp)
            resid = P - Y
        f = self.C * loss + 0.5 * float(np.sum(reg * reg))
        g = self.C * (Xa.T @ resid) + reg
        if not hessian:
            return f, g, None
        K, p = W.shape[1], Xa.shape[1]
        H = np.zeros((p * K, p * K))
        if binary:
            H[:] = self.C * (Xa.T * (P * (1 - P))) @ Xa
        else:
            for k in range(K):
                for j in range(k, K):
                    w = P[:, k] * ((k == j) - P[:, j])
                    block = self.C * (Xa.T * w) @ Xa
                    H[k * p : (k + 1) * p, j * p : (j + 1) * p] = block
                    H[j * p : (j + 1) * p, k * p : (k + 1) * p] = block.T
        penalised = np.tile(np.r_[np.ones(d), np.zeros(p - d)], K)
        H[np.diag_indices_from(H)] += penalised
        if not binary and p > d:
            # The softmax is blind to a common shift of the intercepts: add that direction
            # to H so it is invertible; the gradient is orthogonal to it, so the step is too.
            u = np.zeros(p * K)
            u[d::p] = 1.0
            H += np.outer(u, u)
        return f, g, H

    def decision_function(self, X: Any) -> np.ndarray:
        """X @ coef_.T + intercept_ (one column per class, or one for binary)."""
        check_is_fitted(self, "coef_")
        X = check_array(X)
        check_n_features(self, X)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities (sigmoid or softmax of the decision function)."""
        s = self.decision_function(X)
        if s.ndim == 1:
            p = 1.0 / (1.0 + np.exp(-s))
            return np.column_stack([1 - p, p])
        return np.exp(_log_softmax(s))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class."""
        s = self.decision_function(X)
        idx = (s > 0).astype(int) if s.ndim == 1 else np.argmax(s, axis=1)
        return self.classes_[idx]
