"""Fitting the scaler on all rows changes the CV score; our pipeline's CV does not leak."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from phase2_tabular.classical_practice.leakage import (
    leaky_cv_scores,
    manual_fold_scores,
    pipeline_cv_scores,
)


def _setup(penguins):
    df, spec = penguins
    return (
        df,
        spec,
        LogisticRegression(max_iter=2000),
        StratifiedKFold(5, shuffle=True, random_state=0),
    )


def test_pipeline_cv_equals_fitting_on_each_training_fold_only(penguins):
    df, spec, model, cv = _setup(penguins)
    piped = pipeline_cv_scores(df, spec, model, cv, "neg_log_loss")
    manual = manual_fold_scores(df, spec, model, cv, "neg_log_loss")
    np.testing.assert_allclose(piped, manual, rtol=1e-12)


def test_scaler_fitted_on_all_rows_changes_the_cv_score(penguins):
    df, spec, model, cv = _setup(penguins)
    leaky = leaky_cv_scores(df, spec, model, cv, "neg_log_loss")
    manual = manual_fold_scores(df, spec, model, cv, "neg_log_loss")
    assert np.max(np.abs(leaky - manual)) > 1e-6
    assert leaky.mean() != manual.mean()
