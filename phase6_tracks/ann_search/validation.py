"""Input checks shared by the indexes: clear errors instead of garbage or a crash in C++."""

from __future__ import annotations

import numpy as np


def check_matrix(X: np.ndarray, dim: int, name: str, *, allow_empty: bool = False) -> np.ndarray:
    """X as a C-contiguous float32 (n, dim) array; ValueError on wrong shape, NaN or inf."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != dim:
        raise ValueError(f"{name} must have shape (n, {dim}), got {X.shape}")
    if X.shape[0] == 0 and not allow_empty:
        raise ValueError(f"{name} is empty")
    if not np.issubdtype(X.dtype, np.number):
        raise ValueError(f"{name} must be numeric, got dtype {X.dtype}")
    X = np.ascontiguousarray(X, dtype=np.float32)
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return X


def check_ids(ids: np.ndarray | list[int], n: int) -> np.ndarray:
    """ids as int64 (n,), non-negative and unique."""
    ids = np.asarray(ids)
    if ids.shape != (n,) or not (ids.size == 0 or np.issubdtype(ids.dtype, np.integer)):
        raise ValueError(f"ids must be {n} integers, got shape {ids.shape} dtype {ids.dtype}")
    ids = ids.astype(np.int64)
    if (ids < 0).any():
        raise ValueError("ids must be non-negative (-1 marks 'no result')")
    if len(np.unique(ids)) != n:
        raise ValueError("ids must be unique")
    return ids
