"""Bad input gets a clear error, never a silent wrong answer."""

from __future__ import annotations

import numpy as np
import pytest

from phase1_foundations.classical_ml.kmeans import KMeans
from phase1_foundations.classical_ml.linear import Ridge
from phase1_foundations.classical_ml.logistic import LogisticRegression
from phase1_foundations.classical_ml.naive_bayes import MultinomialNB
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier
from phase1_foundations.classical_ml.validation import NotFittedError

X = np.arange(20.0).reshape(10, 2)
y = np.array([0, 1] * 5)
SUPERVISED = [KNeighborsClassifier(3), Ridge(), LogisticRegression(), DecisionTreeClassifier()]


@pytest.mark.parametrize("est", SUPERVISED, ids=lambda e: type(e).__name__)
def test_nan_in_x_is_rejected_by_name(est):
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="contains NaN"):
        est.fit(bad, y)


@pytest.mark.parametrize("est", SUPERVISED, ids=lambda e: type(e).__name__)
def test_shape_mismatches_and_empty_input_are_rejected(est):
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        est.fit(X, y[:-1])
    with pytest.raises(ValueError, match="Expected 2D array"):
        est.fit(X[:, 0], y)
    with pytest.raises(ValueError, match="0 sample"):
        est.fit(X[:0], y[:0])
    est.fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features"):
        est.predict(np.ones((2, 3)))


def test_predict_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        DecisionTreeClassifier().predict(X)


def test_invalid_parameters_are_named():
    with pytest.raises(ValueError, match="metric"):
        KNeighborsClassifier(metric="chebyshev").fit(X, y)
    with pytest.raises(ValueError, match="n_neighbors"):
        KNeighborsClassifier(n_neighbors=11).fit(X, y).predict(X)
    with pytest.raises(ValueError, match="C must be > 0"):
        LogisticRegression(C=0).fit(X, y)
    with pytest.raises(ValueError, match="Negative values"):
        MultinomialNB().fit(-X, y)
    with pytest.raises(ValueError, match="n_samples=10 should be >= n_clusters=11"):
        KMeans(11).fit(X)
    with pytest.raises(ValueError, match="continuous"):
        DecisionTreeClassifier().fit(X, y + 0.5)
