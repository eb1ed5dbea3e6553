"""Brute-force k-nearest-neighbour classifier and regressor.

The idea alone is `minimal.knn_predict` (every distance, a stable sort, a vote; it holds an
(n_query, n_train, d) array). This version adds the scikit-learn estimator API, weights,
other metrics, and the screened search below: summing every distance in order took 2.6x-4x
scikit-learn's time (README design notes; bench.py's kNN rows measure the current search).

Distances: euclidean and manhattan sum features in order (C++ or NumPy, bit-identical);
cosine follows scikit-learn's `cosine_distances`. Neighbours are ordered by (distance,
training index), so equal distances go to the earlier training row.

Euclidean search is two-step: a screening score (||y||^2 - 2 x.y, on training-centred data)
ranks every training row cheaply but with rounding error; every row that could be among the k
nearest under a proven bound on that error is then re-ranked by its exact in-order distance.
So the answer is the exact one, at GEMM speed. With the native ops built, the screen is one
C++ pass (`native_ops.knn_screen`: register-blocked scores compared with each query's running
cut-off, never a queries x training-rows matrix); without them, a BLAS GEMM per query chunk
and a top-k selection.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
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
MAX_WORKERS = 2  # query chunks in flight at once (each holds one CHUNK_BYTES block)
EXTRA_CANDIDATES = 8  # GEMM candidates kept beyond k; more are fetched only for near-ties


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
        self._fit_T: np.ndarray | None = None
        if self.metric == "euclidean":
            # Centring shrinks the norms, so the GEMM's rounding (and its bound) shrinks too.
            self._fit_mean = X.mean(axis=0)
            # rows [-2 y, ||y||^2]: [x, 1] @ this.T is ||y||^2 - 2 x.y (scaling by 2 is exact)
            augmented = np.empty((X.shape[0], X.shape[1] + 1))
            centred = np.subtract(X, self._fit_mean, out=augmented[:, :-1])
            augmented[:, -1] = np.einsum("ij,ij->i", centred, centred)
            centred *= -2.0
            self._fit_max_norm = float(np.sqrt(augmented[:, -1].max()))
            self._fit_augmented = augmented
            # feature-major copy for the C++ screen: 16 training rows per vector load pair
            self._fit_T = np.ascontiguousarray(augmented.T) if self._native_screen() else None
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
        if self.metric == "euclidean" and self._fit_T is not None:
            # one C++ pass over all queries (threads inside); no score matrix to bound
            d, i = self._euclidean_kneighbors(X, k)
            return (np.sqrt(d), i) if return_distance else i
        rows = max(1, CHUNK_BYTES // (8 * self.n_samples_fit_))
        starts = range(0, X.shape[0], rows)
        chunks = [X[start : start + rows] for start in starts]
        # The BLAS GEMM and the C++ top-k release the GIL, so query chunks overlap on threads
        # (the top-k pass is single-threaded otherwise); each chunk's answer is the same.
        workers = min(MAX_WORKERS, os.cpu_count() or 1, len(chunks))
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                parts = list(pool.map(lambda c: self._kneighbors_chunk(c, k), chunks))
        else:
            parts = [self._kneighbors_chunk(c, k) for c in chunks]
        dist_a = np.concatenate([d for d, _ in parts])
        ind_a = np.concatenate([i for _, i in parts])
        return (dist_a, ind_a) if return_distance else ind_a

    def _native_screen(self) -> bool:
        """Use the C++ screen (native=None: when built; True: required; False: never)."""
        if self.native is None:
            return ops.native_available()
        if self.native:
            ops.backend(True)  # raises a clear error when the extension is not built
        return bool(self.native)

    def _kneighbors_chunk(self, X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if self.metric == "euclidean":
            d, i = self._euclidean_kneighbors(X, k)
            return np.sqrt(d), i
        if self.metric == "manhattan":
            D = ops.pairwise_manhattan(X, self._fit_X, native=self.native)
        else:
            D = cosine_distances(X, self._fit_X)
        return ops.topk_smallest(D, k, native=self.native)

    def _euclidean_kneighbors(self, X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact squared distances and indices of the k nearest: screen, then exact re-rank."""
        n_fit, n_features = self._fit_X.shape
        Xc = X - self._fit_mean
        # [x, 1] . [-2 y, ||y||^2] = ||y||^2 - 2 x.y per pair: ||x - y||^2 less ||x||^2, which
        # is the same for every training row of a query, so it cannot change the ranking.
        queries = np.hstack([Xc, np.ones((X.shape[0], 1))])
        # |scores + ||x||^2 - exact| <= bound for every pair: the screen (a GEMM, or the C++
        # in-order sum of n_features + 1 products) and the exact in-order sum each carry at
        # most (n_features + 2) eps (||x|| + ||y||)^2 of rounding (and the centring a few eps
        # more), so 4 (n_features + 4) eps (||x|| + max ||y||)^2 covers both. A row whose
        # exact distance ties or beats the k-th exact distance then has a score <= the k-th
        # smallest score + 2 * bound.
        x_norm = np.sqrt(np.einsum("ij,ij->i", Xc, Xc))
        eps = np.finfo(np.float64).eps
        bound = 4.0 * (n_features + 4) * eps * (x_norm + self._fit_max_norm) ** 2
        top = min(n_fit, k + EXTRA_CANDIDATES)
        scores: np.ndarray | None = None
        if self._fit_T is not None:
            workers = min(MAX_WORKERS, os.cpu_count() or 1)
            vals, cols = ops.knn_screen(queries, self._fit_T, n_fit, top, workers, native=True)
        else:
            scores = queries @ self._fit_augmented.T
            vals, cols = ops.topk_smallest(scores, top, native=self.native)
        limit = vals[:, k - 1] + 2.0 * bound
        rows = np.repeat(np.arange(X.shape[0]), top).reshape(-1, top)
        keep = vals <= limit[:, None]
        # where even the last kept candidate is within the limit, more may be: scan the row
        crowded = keep[:, -1] & (top < n_fit)
        if not crowded.any():
            return _rerank_candidates(X, self._fit_X, cols, keep, k, self.native)
        keep[crowded] = False
        # (any score within the bound works here: the GEMM's or the C++ screen's)
        crowded_scores = (
            queries[crowded] @ self._fit_augmented.T if scores is None else scores[crowded]
        )
        r_all, c_all = np.nonzero(crowded_scores <= limit[crowded, None])
        rows = np.concatenate([rows[keep], np.flatnonzero(crowded)[r_all]])
        cols = np.concatenate([cols[keep], c_all])
        exact = _sq_euclidean_pairs(X, self._fit_X, rows, cols)
        order = np.lexsort((cols, exact, rows))  # by row, then (distance, index)
        counts = np.bincount(rows, minlength=X.shape[0])
        starts = np.cumsum(counts) - counts
        pick = order[starts[:, None] + np.arange(k)]
        return exact[pick], cols[pick].astype(np.int64)

    def _weights(self, dist: np.ndarray) -> np.ndarray:
        if self.weights == "uniform":
            return np.ones_like(dist)
        with np.errstate(divide="ignore"):
            w = 1.0 / dist
        # an exact match gets all the weight (scikit-learn's rule)
        zero_rows = np.any(dist == 0.0, axis=1)
        w[zero_rows] = (dist[zero_rows] == 0.0).astype(float)
        return w


def _rerank_candidates(
    X: np.ndarray, Y: np.ndarray, cols: np.ndarray, keep: np.ndarray, k: int, native: bool | None
) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest among each row's kept candidates, by (exact distance, index).

    The common case, as (queries, candidates) arrays: candidates are put in index order, so
    a top-k by (value, position) is the order by (distance, index).
    """
    by_col = np.argsort(cols, axis=1, kind="stable")
    cols = np.take_along_axis(cols, by_col, axis=1)
    keep = np.take_along_axis(keep, by_col, axis=1)
    exact = ops.sq_euclidean_gather(X, Y, cols, native=native)  # the same sums as the pairs'
    dist, pos = ops.topk_smallest(np.where(keep, exact, np.inf), k, native=native)
    return dist, np.take_along_axis(cols, pos, axis=1).astype(np.int64)


def _sq_euclidean_pairs(
    X: np.ndarray, Y: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Squared distances of the pairs (X[rows], Y[cols]), features summed in order.

    The same order as `native_ops` (C++ and NumPy), so the distances are bit-identical.
    """
    out = np.zeros(rows.shape[0])
    for f in range(X.shape[1]):
        diff = X[rows, f] - Y[cols, f]
        out += diff * diff
    return out


def cosine_distances(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """1 - cosine similarity, clipped to [0, 2]; (near-)zero rows count as distance 1."""

    def normalize(A: np.ndarray) -> np.ndarray:
        norms = np.sqrt(np.einsum("ij,ij->i", A, A))
        # scikit-learn's rule (`_handle_zeros_in_scale`): a norm under 10 eps is no norm, the
        # row is left as it is rather than blown up to unit length
        norms[norms < 10 * np.finfo(np.float64).eps] = 1.0
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
        proba = self.predict_proba(X)  # first: it raises NotFittedError before classes_ exists
        return self.classes_[np.argmax(proba, axis=1)]


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
