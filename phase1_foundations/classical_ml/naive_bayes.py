"""Gaussian and multinomial naive Bayes: Bayes' rule in log space."""

from __future__ import annotations

from collections.abc import Callable
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


class _NaiveBayes(Classifier):
    _joint_log_likelihood: Callable[[Any], np.ndarray]  # provided by each subclass

    def _fit_classes(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        X, y = check_x_y(X, y)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        self.n_features_in_ = X.shape[1]
        return X, np.eye(len(self.classes_))[codes]

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """log P(class | x), normalised with log-sum-exp."""
        jll = self._joint_log_likelihood(X)
        top = jll.max(axis=1, keepdims=True)
        return jll - (top + np.log(np.exp(jll - top).sum(axis=1, keepdims=True)))

    def predict_proba(self, X: Any) -> np.ndarray:
        """P(class | x)."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """The class with the largest joint log-likelihood."""
        jll = self._joint_log_likelihood(X)  # first: it raises NotFittedError when unfitted
        return self.classes_[np.argmax(jll, axis=1)]

    def _checked(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "classes_")
        X = check_array(X)
        check_n_features(self, X)
        return X


class GaussianNB(_NaiveBayes):
    """Per-class normal densities; variances padded by var_smoothing * max variance."""

    def __init__(self, var_smoothing: float = 1e-9) -> None:
        self.var_smoothing = var_smoothing

    def fit(self, X: Any, y: Any) -> GaussianNB:
        """Class priors, per-class feature means and variances."""
        X, Y = self._fit_classes(X, y)
        self.epsilon_ = self.var_smoothing * float(np.var(X, axis=0).max())
        self.class_count_ = Y.sum(axis=0)
        self.theta_ = np.array([X[Y[:, c] > 0].mean(axis=0) for c in range(Y.shape[1])])
        self.var_ = np.array([X[Y[:, c] > 0].var(axis=0) for c in range(Y.shape[1])])
        self.var_ += self.epsilon_
        if not np.all(self.var_ > 0):
            # scikit-learn fits this and then predicts NaN (0/0 likelihoods): refuse instead
            raise ValueError(
                "GaussianNB needs a positive variance for every class and feature, but some "
                "are 0 (1 sample, or every feature constant, with var_smoothing="
                f"{self.var_smoothing!r}); the likelihoods would be 0/0 (NaN)."
            )
        self.class_prior_ = self.class_count_ / self.class_count_.sum()
        return self

    def _joint_log_likelihood(self, X: Any) -> np.ndarray:
        X = self._checked(X)
        norm = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)
        sq = ((X[:, None, :] - self.theta_[None]) ** 2 / self.var_[None]).sum(axis=2)
        return np.log(self.class_prior_) + norm - 0.5 * sq


class MultinomialNB(_NaiveBayes):
    """Feature counts per class with additive (Laplace/Lidstone) smoothing alpha."""

    _positive_only = True

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def fit(self, X: Any, y: Any) -> MultinomialNB:
        """Smoothed per-class feature log-probabilities and class log-priors."""
        X, Y = self._fit_classes(X, y)
        if np.any(X < 0):
            raise ValueError("Negative values in data passed to MultinomialNB (input X).")
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {self.alpha!r}")
        alpha = max(self.alpha, 1e-10)  # keeps log(0) out, as scikit-learn's floor does
        self.class_count_ = Y.sum(axis=0)
        self.feature_count_ = Y.T @ X
        smoothed = self.feature_count_ + alpha
        self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
        self.class_log_prior_ = np.log(self.class_count_) - np.log(self.class_count_.sum())
        return self

    def _joint_log_likelihood(self, X: Any) -> np.ndarray:
        X = self._checked(X)
        if np.any(X < 0):
            raise ValueError("Negative values in data passed to MultinomialNB (input X).")
        return X @ self.feature_log_prob_.T + self.class_log_prior_
