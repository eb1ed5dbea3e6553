"""Benchmark: each native op, NumPy fallback (reference) vs C++ (ours), at three sizes."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import ModuleType
from typing import Any

import numpy as np

from phase0_env.common.bench import BenchRow, compare, sizes

from . import numpy_ops, ops


def run(quick: bool = False) -> list[BenchRow]:
    """Rows per op and size; `ratio` below 1 means the C++ path is faster."""
    if not ops.native_available():
        return []
    from . import _native

    rows = []
    for n in sizes(quick, full=(500, 2000, 8000), small=(200, 500, 1000)):
        for case, call in _cases(n).items():
            rows.append(
                compare(
                    case,
                    n,
                    partial(call, _native),
                    partial(call, numpy_ops),
                    reference="numpy fallback",
                    repeats=3,
                    quality={"identical": _identical(call(_native), call(numpy_ops))},
                )
            )
    return rows


def _cases(n: int) -> dict[str, Callable[[ModuleType], Any]]:
    """Each op on seeded data of size n, as a call taking the backend module."""
    rng = np.random.default_rng(n)
    X, Y = rng.normal(size=(min(n, 1000), 16)), rng.normal(size=(n, 16))
    D = numpy_ops.pairwise_sq_euclidean(X, Y)
    Xs, y = rng.normal(size=(n, 16)), rng.integers(0, 3, n).astype(float)
    Q = np.hstack([X, np.ones((len(X), 1))])
    FT = np.vstack([-2.0 * Y.T, (Y * Y).sum(1)])
    return {
        "pairwise_sq_euclidean": lambda m: m.pairwise_sq_euclidean(X, Y),
        "pairwise_manhattan": lambda m: m.pairwise_manhattan(X, Y),
        "topk_smallest k=10": lambda m: m.topk_smallest(D, 10),
        "best_split gini (16 features)": lambda m: m.best_split(Xs, y, np.arange(16), 0, 3, 1),
        # kNN's screen: the answer of topk_smallest over Q @ FT, without the matrix
        "knn_screen top=13": lambda m: m.knn_screen(Q, FT, n, 13, 2),
        # one k-means step from unset labels (a first iteration)
        "kmeans_step k=8 (16 features)": lambda m: m.kmeans_step(
            Xs, Xs[:8], np.full(n, -1, dtype=np.int64), 2
        ),
    }


def _identical(a: object, b: Any) -> bool:
    pairs = zip(a, b, strict=True) if isinstance(a, tuple) else [(a, b)]
    return all(np.array_equal(np.asarray(p), np.asarray(q)) for p, q in pairs)
