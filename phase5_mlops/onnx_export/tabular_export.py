"""The phase 2 tabular pipeline, trained on a seeded split and exported with skl2onnx.

The ColumnTransformer is where native and ONNX part ways unless told otherwise:
- one ONNX input per column (float32 numeric, string categorical), so no column can be fed
  in the wrong order or with the wrong dtype, and strings never pass through a float tensor;
- the categorical SimpleImputer looks for NaN, which a string tensor cannot hold and
  skl2onnx cannot convert: the exported copy looks for `MISSING` instead (same fitted
  `statistics_`), and `OnnxModel` writes `MISSING` where a categorical value is None/NaN;
- `handle_unknown="ignore"` becomes ONNX OneHotEncoder(zeros=1): all-zero rows, as native;
- probabilities come out as a plain (N, C) tensor (`zipmap=False`), labels as strings.
Over the hand-written graph of `minimal.py` it adds per-column inputs, imputers and one-hot.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from phase2_tabular.common.pipeline import make_pipeline
from phase2_tabular.common.tables import TableSpec, load_table, split_xy
from phase2_tabular.tabular_api.train import make_model

MISSING = "__missing__"  # stands for a missing categorical value inside the ONNX graph
OPSET = {"": 17, "ai.onnx.ml": 3}


@dataclass
class TabularRun:
    """A fitted phase 2 pipeline and the split it was fitted and judged on."""

    pipeline: Any
    spec: TableSpec
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series


def train_tabular(
    table: str = "penguins", family: str = "logistic_regression", seed: int = 0
) -> TabularRun:
    """Fit phase 2's `preprocess -> model` pipeline on 75 % of a table (stratified, seeded)."""
    from sklearn.model_selection import train_test_split

    df, spec = load_table(table)
    X, y = split_xy(df, spec)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    pipe = make_pipeline(spec, make_model(family, seed)).fit(X_tr, y_tr)
    return TabularRun(pipe, spec, X_tr, X_te, y_tr, y_te)


def export_tabular(pipeline: Any, spec: TableSpec) -> bytes:
    """The fitted pipeline as a serialized ONNX model (one input per feature column)."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    exported = with_string_missing_marker(pipeline)
    inputs = [(c, FloatTensorType([None, 1])) for c in spec.numeric]
    inputs += [(c, StringTensorType([None, 1])) for c in spec.categorical]
    onx = convert_sklearn(
        exported,
        initial_types=inputs,
        options={id(exported): {"zipmap": False}},
        target_opset=OPSET,
    )
    classes = [str(c) for c in pipeline.classes_]
    meta = {"classes": json.dumps(classes), "missing_categorical": MISSING}
    for key, value in meta.items():
        entry = onx.metadata_props.add()
        entry.key, entry.value = key, value
    return onx.SerializeToString()


def with_string_missing_marker(pipeline: Any) -> Any:
    """A copy of the pipeline whose categorical imputer treats `MISSING` as missing."""
    out = copy.deepcopy(pipeline)
    pre = out.named_steps["preprocess"]
    for name, transformer, _ in pre.transformers_:
        steps = getattr(transformer, "named_steps", {})
        imputer = steps.get("impute")
        if name == "cat" and imputer is not None:
            # statistics_ (the most frequent category) were learned with NaN as missing;
            # only the marker that triggers them changes.
            imputer.missing_values = MISSING
    return out


def native_frame(rows: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Rows as the native pipeline wants them: float64 numerics, object categoricals."""
    out = rows[spec.features].copy()
    for col in spec.numeric:
        out[col] = out[col].astype("float64")
    for col in spec.categorical:
        out[col] = out[col].astype("object").where(out[col].notna(), np.nan)
    return out


def edge_rows(spec: TableSpec) -> pd.DataFrame:
    """Rows that exercise the traps: NaN numerics, missing and unseen categories."""
    first_cat = {c: values[0] for c, values in spec.categorical.items()}
    mid = {c: (lo + hi) / 2 for c, (lo, hi) in spec.numeric.items()}
    rows = []
    for col in spec.numeric:
        rows.append({**mid, **first_cat, col: np.nan})
    for col in spec.categorical:
        rows.append({**mid, **first_cat, col: None})
        rows.append({**mid, **first_cat, col: "never-seen-category"})
    rows.append({**dict.fromkeys(spec.numeric, np.nan), **dict.fromkeys(spec.categorical)})
    return native_frame(pd.DataFrame(rows), spec)
