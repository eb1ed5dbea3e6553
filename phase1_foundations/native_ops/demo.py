"""Demo: run each native op and its NumPy fallback side by side, with timings."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from . import numpy_ops, ops


def main(quick: bool = False) -> None:
    """Print whether the C++ path is built, then time and compare every op."""
    print(f"C++ extension available: {ops.native_available()}")
    if not ops.native_available():
        print("build it with `pip install -e .` (needs a C++17 compiler and pybind11)")
        return
    from . import _native

    n = 500 if quick else 2000
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(n, 16)), rng.normal(size=(2 * n, 16))
    D = numpy_ops.pairwise_sq_euclidean(X, Y)
    y = rng.integers(0, 3, n).astype(float)
    cases: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
        "pairwise_sq_euclidean": ((X, Y), {}),
        "pairwise_manhattan": ((X, Y), {}),
        "topk_smallest": ((D, 10), {}),
        "best_split": ((X, y, np.arange(16), 0, 3, 1), {}),
    }
    print(f"{'op':24} {'numpy s':>9} {'c++ s':>9} {'speed-up':>9}  identical")
    for name, (args, _) in cases.items():
        t0 = time.perf_counter()
        a = getattr(numpy_ops, name)(*args)
        t1 = time.perf_counter()
        b = getattr(_native, name)(*args)
        t2 = time.perf_counter()
        same = all(
            np.array_equal(np.asarray(p), np.asarray(q))
            for p, q in (zip(a, b, strict=True) if isinstance(a, tuple) else [(a, b)])
        )
        print(f"{name:24} {t1 - t0:9.4f} {t2 - t1:9.4f} {(t1 - t0) / (t2 - t1):9.1f}  {same}")
