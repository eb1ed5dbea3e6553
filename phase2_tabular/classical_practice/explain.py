"""SHAP values for the tree model, with the additivity property checked.

For a tree ensemble, TreeExplainer's values are exact: for every row and class,
expected_value + sum of the row's SHAP values equals the model's predicted probability.
`shap_additivity` returns the values and the worst violation of that identity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline


@dataclass
class ShapResult:
    """SHAP values (rows, features, classes), the base values and the worst additivity error."""

    values: np.ndarray
    expected: np.ndarray
    feature_names: list[str]
    max_additivity_error: float

    def mean_abs(self) -> pd.Series:
        """Mean |SHAP| per (encoded) feature, summed over classes, largest first."""
        score = np.abs(self.values).mean(axis=0).sum(axis=-1)
        return pd.Series(score, index=self.feature_names).sort_values(ascending=False)


def shap_additivity(pipeline: Pipeline, X: pd.DataFrame) -> ShapResult:
    """TreeExplainer on the pipeline's tree model over preprocessed X; check additivity."""
    import shap

    pre, model = pipeline.named_steps["preprocess"], pipeline.named_steps["model"]
    Xt = np.asarray(pre.transform(X), dtype=np.float64)
    explainer = shap.TreeExplainer(model)
    values = np.asarray(explainer.shap_values(Xt, check_additivity=False))
    if values.ndim == 2:  # single-output models: add a class axis
        values = values[..., None]
    expected = np.atleast_1d(np.asarray(explainer.expected_value, dtype=np.float64))
    recon = values.sum(axis=1) + expected
    proba = model.predict_proba(Xt)
    if recon.shape[1] == 1 and proba.shape[1] == 2:
        proba = proba[:, 1:]
    err = float(np.max(np.abs(recon - proba)))
    return ShapResult(values, expected, list(pre.get_feature_names_out()), err)
