"""The native ops, dispatched to C++ when it is built and to NumPy otherwise.

Set the environment variable ROADMAP_NO_NATIVE=1 (or pass `native=False`) to force NumPy.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import cast

import numpy as np

from . import numpy_ops

_compiled: ModuleType | None
try:
    from . import _native as _compiled
except ImportError:  # not built (e.g. a copy without a compiler): NumPy only
    _compiled = None


def native_available() -> bool:
    """True when the C++ extension is importable and not disabled by ROADMAP_NO_NATIVE."""
    return _compiled is not None and os.environ.get("ROADMAP_NO_NATIVE", "") in ("", "0")


def backend(native: bool | None = None) -> ModuleType:
    """The module implementing the ops: `_native` or `numpy_ops`."""
    use = native_available() if native is None else (native and _compiled is not None)
    if native and _compiled is None:
        raise RuntimeError(
            "the C++ extension phase1_foundations.native_ops._native is not "
            "built; run `pip install -e .`"
        )
    return cast(ModuleType, _compiled) if use else numpy_ops  # use implies _compiled is set


def _f64(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


def pairwise_sq_euclidean(X: np.ndarray, Y: np.ndarray, native: bool | None = None) -> np.ndarray:
    """Squared euclidean distances between rows of X and rows of Y."""
    return backend(native).pairwise_sq_euclidean(_f64(X), _f64(Y))


def pairwise_manhattan(X: np.ndarray, Y: np.ndarray, native: bool | None = None) -> np.ndarray:
    """Manhattan distances between rows of X and rows of Y."""
    return backend(native).pairwise_manhattan(_f64(X), _f64(Y))


def topk_smallest(
    D: np.ndarray, k: int, native: bool | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(values, column indices) of the k smallest per row, ties to the lower index."""
    return backend(native).topk_smallest(_f64(D), int(k))


def best_split(
    X: np.ndarray,
    y: np.ndarray,
    features: np.ndarray,
    criterion: int,
    n_classes: int,
    min_samples_leaf: int,
    native: bool | None = None,
) -> tuple[int, float, float, int]:
    """Best CART split of one node: (feature or -1, threshold, proxy, n_left)."""
    feats = np.ascontiguousarray(features, dtype=np.int64)
    return backend(native).best_split(
        _f64(X), _f64(y), feats, int(criterion), int(n_classes), int(min_samples_leaf)
    )


def mse_split(
    X: np.ndarray,
    y: np.ndarray,
    samples: np.ndarray,
    start: int,
    end: int,
    features: np.ndarray,
    min_samples_leaf: int,
    native: bool | None = None,
) -> tuple[int, float, int, float, float]:
    """scikit-learn's squared-error split of samples[start:end], replayed exactly.

    Returns (feature or -1, threshold, pos, impurity_left, impurity_right) and permutes
    `samples` (a contiguous int64 array, written in place) as scikit-learn permutes its own.
    """
    if samples.dtype != np.int64 or not samples.flags.c_contiguous or samples.ndim != 1:
        raise ValueError("samples must be a contiguous 1-d int64 array")
    feats = np.ascontiguousarray(features, dtype=np.int64)
    return backend(native).mse_split(
        _f64(X), _f64(y), samples, int(start), int(end), feats, int(min_samples_leaf)
    )


def sq_euclidean_gather(
    X: np.ndarray, Y: np.ndarray, cols: np.ndarray, native: bool | None = None
) -> np.ndarray:
    """Squared distances from row i of X to the rows cols[i, :] of Y, features summed in order."""
    idx = np.ascontiguousarray(cols, dtype=np.int64)
    return backend(native).sq_euclidean_gather(_f64(X), _f64(Y), idx)


def knn_screen(
    Q: np.ndarray, FT: np.ndarray, n: int, top: int, n_threads: int = 1, native: bool | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(values, columns) of the `top` smallest of Q @ FT[:, :n] per row, ties to the lower column.

    FT is feature-major (D x n or wider). The C++ path never stores the full score matrix.
    """
    return backend(native).knn_screen(_f64(Q), _f64(FT), int(n), int(top), int(n_threads))


def kmeans_step(
    X: np.ndarray,
    centres: np.ndarray,
    labels: np.ndarray,
    n_threads: int = 1,
    native: bool | None = None,
) -> tuple[int, np.ndarray, np.ndarray]:
    """One Lloyd step: relabel rows in place; (rows changed, cluster sums, cluster counts).

    `labels` must be a contiguous int64 array (it is written in place, never copied).
    """
    if labels.dtype != np.int64 or not labels.flags.c_contiguous or labels.shape != X.shape[:1]:
        raise ValueError("labels must be a contiguous int64 array with one entry per row of X")
    return backend(native).kmeans_step(_f64(X), _f64(centres), labels, int(n_threads))


def kmeans_inertia(
    X: np.ndarray,
    centres: np.ndarray,
    labels: np.ndarray,
    n_threads: int = 1,
    native: bool | None = None,
) -> float:
    """Sum over rows of the squared distance to the row's centre."""
    lab = np.ascontiguousarray(labels, dtype=np.int64)
    return float(backend(native).kmeans_inertia(_f64(X), _f64(centres), lab, int(n_threads)))
