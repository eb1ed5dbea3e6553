"""Brute-force k-nearest-neighbour classifier and regressor.

Distances: euclidean and manhattan sum features in order (C++ or NumPy, bit-identical);
cosine follows scikit-learn's `cosine_distances`. Neighbours are ordered by (distance,
training index), so equal distances go to the earlier training row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from phase1_foundations.native_ops import ops

from ._base import Classifier, Estimator, Regressor
from .validation import (
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_n_features,
    check_x_y,
)

METRICS = ("euclidean", "manhattan", "cosine")
CHUNK_BYTES = 64 * 2**20  # distance block per query chunk, so memory stays bounded


class _NeighborsBase(Estimator):
    def __init__(
        self,
        n_neighbors: int = 5,
        weights: str = "uniform",
        metric: str = "euclidean",
        native: bool | None = None,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.native = native

    def _fit(self, X: np.ndarray, y: np.ndarray) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {METRICS}, got {self.metric!r}")
        if self.weights not in ("uniform", "distance"):
            raise ValueError(f"weights must be 'uniform' or 'distance', got {self.weights!r}")
        if not isinstance(self.n_neighbors, (int, np.integer)) or self.n_neighbors < 1:
            raise ValueError(f"n_neighbors must be a positive integer, got {self.n_neighbors!r}")
        self._fit_X = X
        self.n_features_in_ = X.shape[1]
        self.n_samples_fit_ = X.shape[0]

    def kneighbors(
        self, X: Any, n_neighbors: int | None = None, return_distance: bool = True
    ) -> Any:
        """Distances and training indices of the nearest neighbours of each row of X."""
        check_is_fitted(self, "_fit_X")
        X = check_array(X)
        check_n_features(self, X)
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if k > self.n_samples_fit_:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {k}, "
                f"n_samples_fit = {self.n_samples_fit_}, n_samples = {X.shape[0]}"
            )
        rows = max(1, CHUNK_BYTES // (8 * self.n_samples_fit_))
        dist, ind = [], []
        for start in range(0, X.shape[0], rows):
            d, i = self._kneighbors_chunk(X[start : start + rows], k)
            dist.append(d)
            ind.append(i)
        dist_a, ind_a = np.concatenate(dist), np.concatenate(ind)
        return (dist_a, ind_a) if return_distance else ind_a

    def _kneighbors_chunk(self, X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self.metric == "euclidean":
            D = ops.pairwise_sq_euclidean(X, self._fit_X, native=self.native)
            d, i = ops.topk_smallest(D, k, native=self.native)
            return np.sqrt(d), i
        if self.metric == "manhattan":
            D = ops.pairwise_manhattan(X, self._fit_X, native=self.native)
        else:
            D = cosine_distances(X, self._fit_X)
        return ops.topk_smallest(D, k, native=self.native)

    def _weights(self, dist: np.ndarray) -> np.ndarray:
        if self.weights == "uniform":
            return np.ones_like(dist)
        with np.errstate(divide="ignore"):
            w = 1.0 / dist
        # an exact match gets all the weight (scikit-learn's rule)
        zero_rows = np.any(dist == 0.0, axis=1)
        w[zero_rows] = (dist[zero_rows] == 0.0).astype(float)
        return w


def cosine_distances(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """1 - cosine similarity, clipped to [0, 2]; zero rows count as distance 1."""

    def normalize(A: np.ndarray) -> np.ndarray:
        norms = np.sqrt(np.einsum("ij,ij->i", A, A))
        norms[norms == 0.0] = 1.0
        return A / norms[:, None]

    S = normalize(X) @ normalize(Y).T
    S *= -1
    S += 1
    return np.clip(S, 0.0, 2.0)


class KNeighborsClassifier(_NeighborsBase, Classifier):
    """Majority (or inverse-distance weighted) vote of the k nearest training rows."""

    def fit(self, X: Any, y: Any) -> KNeighborsClassifier:
        """Store the training set and its classes."""
        X, y = check_x_y(X, y)
        check_classification_targets(y)
        self.classes_, self._y = np.unique(y, return_inverse=True)
        self._fit(X, y)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities: the (weighted) share of each class among the neighbours."""
        dist, ind = self.kneighbors(X)
        w = self._weights(dist)
        proba = np.zeros((ind.shape[0], len(self.classes_)))
        labels = self._y[ind]
        for c in range(len(self.classes_)):
            proba[:, c] = np.sum(np.where(labels == c, w, 0.0), axis=1)
        proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class; ties go to the first class in `classes_`."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class KNeighborsRegressor(_NeighborsBase, Regressor):
    """Mean (or inverse-distance weighted mean) target of the k nearest training rows."""

    def fit(self, X: Any, y: Any) -> KNeighborsRegressor:
        """Store the training set and targets."""
        X, y = check_x_y(X, y, y_numeric=True)
        self._y = y
        self._fit(X, y)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The (weighted) mean target of the neighbours."""
        dist, ind = self.kneighbors(X)
        if self.weights == "uniform":
            return np.mean(self._y[ind], axis=1)
        w = self._weights(dist)
        return np.sum(self._y[ind] * w, axis=1) / np.sum(w, axis=1)
