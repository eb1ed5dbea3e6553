"""A tree's hyper-parameters resolved for one fit, or refused with a clear ValueError.

The supported space is scikit-learn's for these parameters; anything else (a fractional
min_samples_leaf, a min_samples_split fraction above 1, an unknown criterion) is refused
rather than quietly given another meaning.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def resolve(est: Any, n: int, d: int, criteria: dict[str, int]) -> tuple[int, int, int, int, int]:
    """(criterion code, max_depth, min_samples_split, min_samples_leaf, max_features) for n x d."""
    if est.criterion not in criteria:
        raise ValueError(f"criterion must be one of {sorted(criteria)}, got {est.criterion!r}")
    md = est.max_depth
    if md is not None and not (_is_int(md) and md >= 1):
        raise ValueError(f"max_depth must be None or an int >= 1, got {md!r}")
    max_depth = np.iinfo(np.int32).max if md is None else int(md)
    msl = est.min_samples_leaf
    if not (_is_int(msl) and msl >= 1):
        raise ValueError(
            f"min_samples_leaf must be an int >= 1 (fractions are not supported), got {msl!r}"
        )
    mss = est.min_samples_split
    if _is_int(mss) and mss >= 2:
        mss = int(mss)
    elif isinstance(mss, float) and 0.0 < mss <= 1.0:
        mss = max(2, int(np.ceil(mss * n)))  # scikit-learn's fraction of the samples
    else:
        raise ValueError(f"min_samples_split must be an int >= 2 or a float in (0, 1], got {mss!r}")
    return criteria[est.criterion], max_depth, mss, int(msl), n_features_to_try(est.max_features, d)


def n_features_to_try(mf: Any, d: int) -> int:
    """How many features a node draws: scikit-learn's reading of max_features."""
    if mf is None:
        return d
    if mf == "sqrt":
        return max(1, int(np.sqrt(d)))
    if mf == "log2":
        return max(1, int(np.log2(d)))
    if isinstance(mf, float) and 0.0 < mf <= 1.0:
        return max(1, int(mf * d))
    if _is_int(mf) and mf >= 1:
        return int(mf)  # above d it draws every feature, as scikit-learn's loop does
    raise ValueError(
        f"max_features must be None, 'sqrt', 'log2', a float in (0, 1] or an int >= 1, got {mf!r}"
    )


def _is_int(v: Any) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)
