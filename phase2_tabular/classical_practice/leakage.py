"""Leakage, shown: preprocessing fitted on all rows vs inside each CV fold.

`leaky_cv_scores` fits the imputer and scaler on the whole table before cross-validating
(the test fold's statistics leak into training); `pipeline_cv_scores` cross-validates the
whole pipeline; `manual_fold_scores` spells out what a leak-free fold must do, so a test
can prove the pipeline does exactly that and the leaky version does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold, cross_val_score

from phase2_tabular.common.pipeline import make_pipeline, make_preprocessor
from phase2_tabular.common.tables import TableSpec, split_xy


def leaky_cv_scores(
    df: pd.DataFrame, spec: TableSpec, model: Any, cv: StratifiedKFold, scoring: str
) -> np.ndarray:
    """CV scores when the preprocessor has already seen every row (the mistake)."""
    X, y = split_xy(df, spec)
    X_all = make_preprocessor(spec).fit_transform(X)
    return cross_val_score(clone(model), X_all, y, cv=cv, scoring=scoring)


def pipeline_cv_scores(
    df: pd.DataFrame, spec: TableSpec, model: Any, cv: StratifiedKFold, scoring: str
) -> np.ndarray:
    """CV scores of the whole pipeline (the preprocessor refits in each fold)."""
    X, y = split_xy(df, spec)
    return cross_val_score(make_pipeline(spec, clone(model)), X, y, cv=cv, scoring=scoring)


def manual_fold_scores(
    df: pd.DataFrame, spec: TableSpec, model: Any, cv: StratifiedKFold, scoring: str
) -> np.ndarray:
    """Leak-free by construction: fit everything on the training fold only."""
    X, y = split_xy(df, spec)
    scorer = get_scorer(scoring)
    scores = []
    for train, test in cv.split(X, y):
        pipe = make_pipeline(spec, clone(model)).fit(X.iloc[train], y.iloc[train])
        scores.append(scorer(pipe, X.iloc[test], y.iloc[test]))
    return np.array(scores)
