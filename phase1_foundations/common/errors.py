"""Estimator errors shaped like scikit-learn's (which from-scratch code may not import).

`NotFittedError` subclasses ValueError and AttributeError, as `sklearn.exceptions.NotFittedError`
does, so `except ValueError`, `except AttributeError` and `hasattr` behave as they do there.
"""

from __future__ import annotations

from typing import Any


class NotFittedError(ValueError, AttributeError):
    """Raised when an estimator is used before `fit`."""


def check_is_fitted(est: Any, attr: str) -> None:
    """Raise NotFittedError (scikit-learn's message) unless `est` has learned `attr`."""
    if not hasattr(est, attr):
        raise NotFittedError(
            f"This {type(est).__name__} instance is not fitted yet. Call "
            "'fit' with appropriate arguments before using this estimator."
        )
