"""scikit-learn's estimator checks on every estimator; each expected failure says why."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.utils.estimator_checks import check_estimator

from phase1_foundations.classical_ml.gradient_descent import GDRegressor
from phase1_foundations.classical_ml.kmeans import KMeans
from phase1_foundations.classical_ml.linear import LinearRegression, Ridge
from phase1_foundations.classical_ml.logistic import LogisticRegression
from phase1_foundations.classical_ml.naive_bayes import GaussianNB, MultinomialNB
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier, DecisionTreeRegressor

# From-scratch code may not import scikit-learn, so our NotFittedError and
# DataConversionWarning are our own classes (NotFittedError is, like sklearn's, both a
# ValueError and an AttributeError); these two checks test for sklearn's classes by identity.
OWN_EXCEPTION_CLASSES = {
    "check_estimators_unfitted": "raises our NotFittedError(ValueError, AttributeError), "
    "not sklearn.exceptions.NotFittedError",
    "check_supervised_y_2d": "warns with our DataConversionWarning, not sklearn's class",
}
ESTIMATORS = [
    KNeighborsClassifier(),
    KNeighborsRegressor(),
    LinearRegression(),
    Ridge(),
    GDRegressor(max_iter=200),
    LogisticRegression(),
    DecisionTreeClassifier(),
    DecisionTreeRegressor(),
    KMeans(n_clusters=3),
    GaussianNB(),
    MultinomialNB(),
]
EXTRA = {
    # The check's data (shifted blobs) gives 0.793 accuracy, below its 0.83 bar; scikit-
    # learn's MultinomialNB scores exactly the same there (test below).
    "MultinomialNB": {
        "check_classifiers_train": "0.793 accuracy on the check's shifted "
        "blobs, identical to sklearn's MultinomialNB on that data"
    },
}


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_passes_sklearn_estimator_checks(estimator):
    name = type(estimator).__name__
    expected = {**OWN_EXCEPTION_CLASSES, **EXTRA.get(name, {})}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(estimator, expected_failed_checks=expected, on_fail=None)
    failed = [f"{r['check_name']}: {r['exception']}" for r in results if r["status"] == "failed"]
    assert not failed, "\n".join(failed)
    assert len(results) > 40


def test_multinomial_nb_accuracy_on_the_failing_check_data_equals_sklearn():
    from sklearn import naive_bayes
    from sklearn.datasets import make_blobs
    from sklearn.preprocessing import StandardScaler
    from sklearn.utils import shuffle

    X, y = make_blobs(n_samples=300, random_state=0)
    X, y = shuffle(X, y, random_state=7)
    X = StandardScaler().fit_transform(X)
    X -= X.min()
    ours = MultinomialNB().fit(X, y).score(X, y)
    ref = naive_bayes.MultinomialNB().fit(X, y).score(X, y)
    assert ours == ref and ours < 0.83
    np.testing.assert_allclose(
        MultinomialNB().fit(X, y).predict_proba(X),
        naive_bayes.MultinomialNB().fit(X, y).predict_proba(X),
        atol=1e-9,
    )
