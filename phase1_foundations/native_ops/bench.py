"""Benchmark: each native op, NumPy fallback (reference) vs C++ (ours), at three sizes."""

from __future__ import annotations

from functools import partial
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
        rng = np.random.default_rng(n)
        X, Y = rng.normal(size=(min(n, 1000), 16)), rng.normal(size=(n, 16))
        D = numpy_ops.pairwise_sq_euclidean(X, Y)
        Xs, y = rng.normal(size=(n, 16)), rng.integers(0, 3, n).astype(float)
        cases = {
            "pairwise_sq_euclidean": (X, Y),
            "pairwise_manhattan": (X, Y),
            "topk_smallest k=10": (D, 10),
            "best_split gini (16 features)": (Xs, y, np.arange(16), 0, 3, 1),
        }
        for case, args in cases.items():
            fn = case.split()[0]
            same = _identical(getattr(_native, fn)(*args), getattr(numpy_ops, fn)(*args))
            rows.append(
                compare(
                    case,
                    n,
                    partial(lambda f, a: getattr(_native, f)(*a), fn, args),
                    partial(lambda f, a: getattr(numpy_ops, f)(*a), fn, args),
                    reference="numpy fallback",
                    repeats=3,
                    quality={"identical": same},
                )
            )
    return rows


def _identical(a: object, b: Any) -> bool:
    pairs = zip(a, b, strict=True) if isinstance(a, tuple) else [(a, b)]
    return all(np.array_equal(np.asarray(p), np.asarray(q)) for p, q in pairs)
