"""Input validation with clear errors (the messages follow scikit-learn's wording)."""

from __future__ import annotations

from typing import Any

import numpy as np

# re-exported, so the milestone's estimators import all validation from one module
from phase1_foundations.common.errors import NotFittedError as NotFittedError
from phase1_foundations.common.errors import check_is_fitted as check_is_fitted


def check_array(
    X: Any,
    *,
    name: str = "X",
    ensure_2d: bool = True,
    dtype: Any = np.float64,
    min_samples: int = 1,
) -> np.ndarray:
    """A finite float array (2-D by default) with at least `min_samples` rows."""
    if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            f"Sparse data was passed for {name}, but dense data is required. "
            "Use '.toarray()' to convert to a dense numpy array."
        )
    arr = np.asarray(X)
    if arr.dtype.kind == "c":
        raise ValueError(f"Complex data not supported for {name}: {arr!r}")
    if dtype is not None:
        try:
            arr = arr.astype(dtype, copy=False)
        except TypeError as exc:  # e.g. dicts in an object array
            raise TypeError(f"{name} must contain numbers only: {exc}") from exc
        except ValueError as exc:  # e.g. non-numeric strings
            raise ValueError(f"{name} must contain numbers only: {exc}") from exc
    if ensure_2d:
        if arr.ndim == 0:
            raise ValueError(
                f"Expected 2D array, got scalar array instead:\n{name}={arr!r}. Reshape your data."
            )
        if arr.ndim == 1:
            raise ValueError(
                f"Expected 2D array, got 1D array instead:\n{name}={arr!r}.\n"
                "Reshape your data either using array.reshape(-1, 1) if your data has a "
                "single feature or array.reshape(1, -1) if it contains a single sample."
            )
        if arr.ndim > 2:
            raise ValueError(f"Found array with dim {arr.ndim}. Expected <= 2 for {name}.")
        if arr.shape[1] == 0:
            raise ValueError(
                f"Found array with 0 feature(s) (shape={arr.shape}) while a "
                "minimum of 1 is required."
            )
    if arr.shape[0] < min_samples:
        raise ValueError(
            f"Found array with {arr.shape[0]} sample(s) (shape={arr.shape}) "
            f"while a minimum of {min_samples} is required."
        )
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        what = "NaN" if np.isnan(arr).any() else "infinity"
        raise ValueError(f"Input {name} contains {what}; remove or impute it before fitting.")
    return np.ascontiguousarray(arr)


def check_x_y(X: Any, y: Any, *, y_numeric: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Validated X (2-D float) and y (1-D) with matching lengths."""
    if y is None:
        raise ValueError("requires y to be passed, but the target y is None")
    X = check_array(X)
    y_arr = np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        import warnings

        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. "
            "Please change the shape of y to (n_samples,).",
            DataConversionWarning,
            stacklevel=3,
        )
        y_arr = y_arr.ravel()
    if y_arr.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {y_arr.shape} instead.")
    if len(y_arr) != len(X):
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: [{len(X)}, {len(y_arr)}]"
        )
    if y_numeric or y_arr.dtype.kind == "f":
        if y_numeric:
            y_arr = y_arr.astype(np.float64)
        if y_arr.dtype.kind == "f" and not np.isfinite(y_arr).all():
            raise ValueError("Input y contains NaN or infinity.")
    return X, y_arr


class DataConversionWarning(UserWarning):
    """A column-vector y was converted to 1-D."""


def check_classification_targets(y: np.ndarray) -> None:
    """Reject continuous targets for a classifier."""
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(
            "Unknown label type: continuous. Maybe you are trying to fit a "
            "classifier, which expects discrete classes on a regression target "
            "with continuous values."
        )


def check_n_features(est: Any, X: np.ndarray) -> None:
    """Predict-time X must have the width seen in fit."""
    if X.shape[1] != est.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(est).__name__} is "
            f"expecting {est.n_features_in_} features as input."
        )
