"""The preprocessing + model pipeline every phase-2 model is trained as.

A ColumnTransformer imputes and scales numeric columns and imputes and one-hot encodes
categorical ones (unknown categories become all-zero rows, not errors). Because the whole
thing is one estimator, cross-validation refits the imputer and scaler inside each fold.
"""

from __future__ import annotations

from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from phase2_tabular.common.tables import TableSpec


def make_preprocessor(spec: TableSpec) -> ColumnTransformer:
    """Impute + scale numeric columns; impute + one-hot (unknowns ignored) categorical ones."""
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]
    )
    return ColumnTransformer(
        [("num", numeric, list(spec.numeric)), ("cat", categorical, list(spec.categorical))],
        verbose_feature_names_out=False,
    )


def make_pipeline(spec: TableSpec, model: Any) -> Pipeline:
    """`preprocess -> model` as one estimator."""
    return Pipeline([("preprocess", make_preprocessor(spec)), ("model", model)])
