"""Every estimator used before `fit` raises NotFittedError, as scikit-learn's do."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import cluster, exceptions, linear_model, naive_bayes, neighbors, tree

from phase1_foundations.classical_ml.gradient_descent import GDRegressor
from phase1_foundations.classical_ml.kmeans import KMeans
from phase1_foundations.classical_ml.linear import LinearRegression, Ridge
from phase1_foundations.classical_ml.logistic import LogisticRegression
from phase1_foundations.classical_ml.naive_bayes import GaussianNB, MultinomialNB
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from phase1_foundations.classical_ml.validation import NotFittedError

X = np.abs(np.random.default_rng(0).normal(size=(6, 3)))
Y = np.array([0, 1, 0, 1, 0, 1])
# (ours, scikit-learn's counterpart): every estimator of the package
PAIRS = [
    (KNeighborsClassifier(), neighbors.KNeighborsClassifier()),
    (KNeighborsRegressor(), neighbors.KNeighborsRegressor()),
    (LinearRegression(), linear_model.LinearRegression()),
    (Ridge(), linear_model.Ridge()),
    (GDRegressor(), linear_model.SGDRegressor()),
    (LogisticRegression(), linear_model.LogisticRegression()),
    (DecisionTreeClassifier(), tree.DecisionTreeClassifier()),
    (DecisionTreeRegressor(), tree.DecisionTreeRegressor()),
    (KMeans(2), cluster.KMeans(2)),
    (GaussianNB(), naive_bayes.GaussianNB()),
    (MultinomialNB(), naive_bayes.MultinomialNB()),
]
METHODS = (
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "transform",
    "kneighbors",
    "apply",
    "score",
)


def _call(est, method):
    fn = getattr(est, method)
    return fn(X, Y) if method == "score" else fn(X)


def test_our_not_fitted_error_has_sklearns_bases():
    assert NotFittedError.__bases__ == exceptions.NotFittedError.__bases__
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


@pytest.mark.parametrize(("ours", "ref"), PAIRS, ids=lambda e: type(e).__name__)
def test_every_method_before_fit_raises_not_fitted_like_sklearn(ours, ref):
    methods = [m for m in METHODS if hasattr(ours, m)]
    assert "predict" in methods
    for method in methods:
        with pytest.raises(NotFittedError) as ours_err:
            _call(ours, method)
        # sklearn raises its NotFittedError wherever it has the method; the message is the same
        if hasattr(ref, method):
            with pytest.raises(exceptions.NotFittedError) as ref_err:
                _call(ref, method)
            name_ours, name_ref = type(ours).__name__, type(ref).__name__
            assert str(ours_err.value).replace(name_ours, name_ref) == str(ref_err.value)


@pytest.mark.parametrize(("ours", "ref"), PAIRS, ids=lambda e: type(e).__name__)
def test_not_fitted_is_caught_as_value_error_and_as_attribute_error(ours, ref):
    # NotFittedError is an AttributeError: `hasattr` probes and `except ValueError` both work
    with pytest.raises(ValueError, match="not fitted yet"):
        ours.predict(X)
    with pytest.raises(AttributeError, match="not fitted yet"):
        ours.predict(X)


def test_tree_get_depth_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        DecisionTreeClassifier().get_depth()
