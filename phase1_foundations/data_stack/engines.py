"""The five implementations by name, imported only when asked for."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import numpy as np

from .features import COLUMNS, Features

ENGINES = ("python", "numpy", "pandas", "polars", "pyarrow")
REFERENCE = "pandas"
_MODULES = {
    "python": "engine_python",
    "numpy": "engine_numpy",
    "pandas": "engine_pandas",
    "polars": "engine_polars",
    "pyarrow": "engine_arrow",
}


def get_engine(name: str) -> Callable[..., Features]:
    """`features(columns, states, n_days)` of the named engine."""
    if name not in _MODULES:
        raise ValueError(f"unknown engine {name!r}; choose from {ENGINES}")
    return importlib.import_module(f"{__package__}.{_MODULES[name]}").features


def differences(ours: Features, ref: Features) -> list[str]:
    """Columns where two results are not identical (shape, dtype or any value)."""
    return [
        c
        for c in COLUMNS
        if ours[c].shape != ref[c].shape
        or ours[c].dtype != ref[c].dtype
        or not np.array_equal(ours[c], ref[c])
    ]
