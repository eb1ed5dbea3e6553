"""A small estimator base: get_params/set_params/repr and the scikit-learn tags hook.

Parameters are read from the signature of `__init__`, as scikit-learn does, so `clone`
and grid search work on our estimators without inheriting from scikit-learn.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np


class Estimator:
    """Parameters live in `__init__`'s signature; learned attributes end in `_`."""

    _estimator_type: str = ""
    _positive_only: bool = False  # MultinomialNB: counts only

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(p.name for p in sig.parameters.values() if p.name != "self")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters and their current values."""
        out: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params: Any) -> Estimator:
        """Set constructor parameters; unknown names raise ValueError."""
        valid = self._param_names()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(
                    f"Invalid parameter {key!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {valid!r}."
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params(deep=False).items())
        return f"{type(self).__name__}({args})"

    def __getstate__(self) -> dict[str, Any]:
        return copy.copy(self.__dict__)

    def __sklearn_tags__(self) -> Any:
        """Tags for scikit-learn's tooling (imported lazily: only sklearn itself calls this)."""
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags, TransformerTags

        tags = Tags(
            estimator_type=self._estimator_type or None,
            target_tags=TargetTags(required=self._estimator_type in ("classifier", "regressor")),
        )
        if self._estimator_type == "classifier":
            tags.classifier_tags = ClassifierTags()
        elif self._estimator_type == "regressor":
            tags.regressor_tags = RegressorTags()
        tags.input_tags.positive_only = self._positive_only
        if hasattr(self, "transform"):
            tags.transformer_tags = TransformerTags()
        return tags


class Classifier(Estimator):
    """Adds `score` (accuracy)."""

    _estimator_type = "classifier"
    predict: Callable[[Any], np.ndarray]  # provided by each subclass

    def score(self, X: Any, y: Any) -> float:
        """Mean accuracy of `predict(X)` against `y`."""
        return float(np.mean(self.predict(X) == np.asarray(y)))


class Regressor(Estimator):
    """Adds `score` (R^2)."""

    _estimator_type = "regressor"
    predict: Callable[[Any], np.ndarray]  # provided by each subclass

    def score(self, X: Any, y: Any) -> float:
        """Coefficient of determination R^2 of `predict(X)` against `y`."""
        y = np.asarray(y, dtype=float)
        pred = self.predict(X)
        ss_res = float(np.sum((y - pred) ** 2))
        ss_tot = float(np.sum((y - y.mean(axis=0)) ** 2))
        return 1.0 - ss_res / ss_tot if ss_tot > 0 else (1.0 if ss_res == 0 else 0.0)
