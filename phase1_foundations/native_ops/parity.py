"""Parity: the C++ ops against their NumPy fallbacks (bit-identical by construction)."""

from __future__ import annotations

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from . import numpy_ops, ops

NP = reference_version("numpy")


def checks() -> list[ParityResult]:
    """Every op, native vs NumPy, on tie-heavy integer data and on continuous data."""
    if not ops.native_available():
        return [
            behaviour(
                "C++ extension built",
                False,
                "phase1_foundations.native_ops._native "
                "is not importable (or ROADMAP_NO_NATIVE is set)",
            )
        ]
    from . import _native

    out = []
    rng = np.random.default_rng(0)
    for kind, X, Y in (
        (
            "integer",
            rng.integers(0, 5, (60, 7)).astype(float),
            rng.integers(0, 5, (90, 7)).astype(float),
        ),
        ("normal", rng.normal(size=(60, 7)), rng.normal(size=(90, 7))),
    ):
        for op in ("pairwise_sq_euclidean", "pairwise_manhattan"):
            out.append(
                compare(
                    f"{op} ({kind} data)",
                    getattr(_native, op)(X, Y),
                    getattr(numpy_ops, op)(X, Y),
                    reference=NP,
                    exact=True,
                )
            )
        D = numpy_ops.pairwise_sq_euclidean(X, Y)
        Q = np.hstack([X, np.ones((len(X), 1))])
        FT = np.vstack([-2.0 * Y.T, (Y * Y).sum(1)])
        for top in (1, 13, 90):
            v1, i1 = _native.knn_screen(Q, FT, len(Y), top, 2)
            v2, i2 = numpy_ops.knn_screen(Q, FT, len(Y), top, 2)
            name = f"knn_screen top={top} ({kind} data)"
            out.append(compare(f"{name}: indices", i1, i2, reference=NP, exact=True))
            out.append(compare(f"{name}: values", v1, v2, reference=NP, exact=True))
            out.append(
                compare(
                    f"sq_euclidean_gather top={top} ({kind} data)",
                    _native.sq_euclidean_gather(X, Y, i1),
                    numpy_ops.sq_euclidean_gather(X, Y, i1),
                    reference=NP,
                    exact=True,
                )
            )
        for k in (1, 5, 90):
            v1, i1 = _native.topk_smallest(D, k)
            v2, i2 = numpy_ops.topk_smallest(D, k)
            out.append(
                compare(
                    f"topk_smallest k={k} ({kind} data): indices", i1, i2, reference=NP, exact=True
                )
            )
            out.append(
                compare(
                    f"topk_smallest k={k} ({kind} data): values", v1, v2, reference=NP, exact=True
                )
            )
        y_cls = rng.integers(0, 3, len(X)).astype(float)
        y_reg = rng.normal(size=len(X))
        for crit, y, k in ((0, y_cls, 3), (1, y_cls, 3), (2, y_reg, 0)):
            for msl in (1, 5):
                a = _native.best_split(X, y, np.arange(X.shape[1]), crit, k, msl)
                b = numpy_ops.best_split(X, y, np.arange(X.shape[1]), crit, k, msl)
                out.append(
                    compare(
                        f"best_split criterion={crit} min_samples_leaf={msl} ({kind} data)",
                        np.array(a),
                        np.array(b),
                        reference=NP,
                        exact=True,
                    )
                )
        for msl in (1, 5):  # scikit-learn's squared-error split, replayed: split and order
            s_c = rng.permutation(len(X)).astype(np.int64)
            s_n = s_c.copy()
            split_c = _native.mse_split(X, y_reg, s_c, 0, len(X), np.arange(X.shape[1]), msl)
            split_n = numpy_ops.mse_split(X, y_reg, s_n, 0, len(X), np.arange(X.shape[1]), msl)
            out.append(
                compare(
                    f"mse_split min_samples_leaf={msl} ({kind} data): split and sample order",
                    np.r_[np.array(split_c), s_c],
                    np.r_[np.array(split_n), s_n],
                    reference=NP,
                    exact=True,
                )
            )
        out += _kmeans_checks(kind, np.vstack([X, Y] * 50))
    return out


def _kmeans_checks(kind: str, X: np.ndarray) -> list[ParityResult]:
    """One k-means step and the inertia, C++ vs NumPy, for k on each register width."""
    from . import _native

    out = []
    for k in (3, 8, 12, 32, 40):
        centres = X[:: max(1, len(X) // k)][:k].copy()
        lab_c = np.full(len(X), -1, dtype=np.int64)
        lab_n = lab_c.copy()
        a = _native.kmeans_step(X, centres, lab_c, 2)
        b = numpy_ops.kmeans_step(X, centres, lab_n, 2)
        name = f"kmeans_step k={k} ({kind} data)"
        out.append(compare(f"{name}: labels", lab_c, lab_n, reference=NP, exact=True))
        out.append(compare(f"{name}: sums", a[1], b[1], reference=NP, exact=True))
        out.append(compare(f"{name}: counts", a[2], b[2], reference=NP, exact=True))
        out.append(
            compare(
                f"kmeans_inertia k={k} ({kind} data)",
                _native.kmeans_inertia(X, centres, lab_c, 2),
                numpy_ops.kmeans_inertia(X, centres, lab_n, 2),
                reference=NP,
                exact=True,
            )
        )
    return out
