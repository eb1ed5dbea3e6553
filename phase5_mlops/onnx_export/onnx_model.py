"""`OnnxModel`: an onnxruntime session with `predict`/`predict_proba` and clear input errors.

Two kinds of exported classifier are served: tabular (one ONNX input per column; pass a
DataFrame) and tensor (one float input such as `images`; pass an array). Both give an
output named `probabilities`; class names come from the model's metadata.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_NUMPY_OF = {"tensor(float)": np.float32, "tensor(double)": np.float64}


class OnnxModel:
    """A serialized ONNX classifier (bytes or a path) served by onnxruntime on the CPU."""

    def __init__(self, model: bytes | str | Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
        source = model if isinstance(model, bytes) else str(model)
        self.session = ort.InferenceSession(
            source, sess_options=options, providers=["CPUExecutionProvider"]
        )
        meta = self.session.get_modelmeta().custom_metadata_map
        self.classes_ = np.array(json.loads(meta["classes"])) if "classes" in meta else None
        self.missing_token = meta.get("missing_categorical")
        self.inputs = {i.name: (i.type, i.shape) for i in self.session.get_inputs()}
        self.outputs = [o.name for o in self.session.get_outputs()]
        self.tabular = len(self.inputs) > 1 or any(
            t == "tensor(string)" for t, _ in self.inputs.values()
        )

    @property
    def feature_names_in_(self) -> list[str]:
        """The input names, in graph order (the columns a tabular model expects)."""
        return list(self.inputs)

    def run(self, X: Any) -> dict[str, np.ndarray]:
        """Every output of the graph for input X, by name."""
        values = self.session.run(None, self.feeds(X))
        return dict(zip(self.outputs, values, strict=True))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_rows, n_classes)."""
        return self.run(X)["probabilities"]

    def predict(self, X: Any) -> np.ndarray:
        """The graph's `label` output, else the class with the highest probability."""
        out = self.run(X)
        if "label" in out:
            return out["label"].ravel()
        best = np.argmax(out["probabilities"], axis=1)
        return self.classes_[best] if self.classes_ is not None else best

    def feeds(self, X: Any) -> dict[str, np.ndarray]:
        """Checked, typed input arrays for the session; ValueError says what is wrong."""
        return self._tabular_feeds(X) if self.tabular else self._tensor_feeds(X)

    def _tabular_feeds(self, X: Any) -> dict[str, np.ndarray]:
        if isinstance(X, Mapping):
            X = pd.DataFrame(dict(X))
        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"a tabular model takes a pandas DataFrame, got {type(X).__name__}")
        expected, given = list(self.inputs), [str(c) for c in X.columns]
        missing = [c for c in expected if c not in given]
        unexpected = [c for c in given if c not in expected]
        if missing or unexpected:
            raise ValueError(
                f"columns do not match the model: missing {missing}, unexpected {unexpected}; "
                f"expected exactly {expected}"
            )
        if len(X) == 0:
            raise ValueError("no rows to predict: the DataFrame is empty")
        feeds = {}
        for name, (kind, _) in self.inputs.items():
            column = X[name]
            if kind == "tensor(string)":
                feeds[name] = self._strings(name, column)
            elif kind in _NUMPY_OF:
                feeds[name] = _numbers(name, column, _NUMPY_OF[kind])
            else:
                raise TypeError(f"input {name!r} has unsupported ONNX type {kind}")
        return feeds

    def _strings(self, name: str, column: pd.Series) -> np.ndarray:
        values = []
        for v in column.tolist():
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                if self.missing_token is None:
                    raise ValueError(f"column {name!r} has a missing value and the model has none")
                values.append(self.missing_token)
            elif not isinstance(v, str):
                raise ValueError(f"column {name!r} holds categories (strings); got {v!r}")
            elif v == self.missing_token:
                raise ValueError(f"column {name!r}: {v!r} is reserved for missing values")
            else:
                values.append(v)
        return np.array(values, dtype=object).reshape(-1, 1)

    def _tensor_feeds(self, X: Any) -> dict[str, np.ndarray]:
        (name, (kind, shape)), *_ = self.inputs.items()
        array = np.asarray(X)
        if not np.issubdtype(array.dtype, np.number):
            raise ValueError(f"input {name!r} must be numeric, got dtype {array.dtype}")
        if array.ndim != len(shape):
            raise ValueError(
                f"input {name!r} must have {len(shape)} dims {shape}, got {array.shape}"
            )
        for axis, (want, got) in enumerate(zip(shape, array.shape, strict=True)):
            if isinstance(want, int) and want != got:
                raise ValueError(
                    f"input {name!r} axis {axis} must be {want} (shape {shape}), got {array.shape}"
                )
        if array.shape[0] == 0:
            raise ValueError(f"input {name!r} holds no rows")
        return {name: array.astype(_NUMPY_OF.get(kind, np.float32), copy=False)}


def _numbers(name: str, column: pd.Series, dtype: type) -> np.ndarray:
    try:
        values = pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as err:
        raise ValueError(f"column {name!r} must be numeric: {err}") from None
    if np.isinf(values).any():
        raise ValueError(f"column {name!r} holds infinity; use NaN for a missing value")
    return values.astype(dtype).reshape(-1, 1)
