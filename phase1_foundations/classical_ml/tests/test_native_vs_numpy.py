"""The C++ path and the NumPy fallback give identical estimators."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_regression

from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from phase1_foundations.native_ops import ops

NO_NATIVE = "C++ path unavailable (not built, or ROADMAP_NO_NATIVE set)"

pytestmark = pytest.mark.skipif(not ops.native_available(), reason=NO_NATIVE)


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
def test_knn_native_and_numpy_return_identical_neighbours(metric):
    X, y = load_digits(return_X_y=True)  # integer pixels: many exact distance ties
    fast = KNeighborsClassifier(6, metric=metric, native=True).fit(X[:1000], y[:1000])
    slow = KNeighborsClassifier(6, metric=metric, native=False).fit(X[:1000], y[:1000])
    d1, i1 = fast.kneighbors(X[1000:1300])
    d2, i2 = slow.kneighbors(X[1000:1300])
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(d1, d2)


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_tree_native_and_numpy_grow_the_same_tree(criterion):
    X, y = load_digits(return_X_y=True)
    # one random_state for both: it orders the feature visits (None draws afresh each fit)
    a = DecisionTreeClassifier(criterion=criterion, native=True, random_state=0).fit(X, y).tree_
    b = DecisionTreeClassifier(criterion=criterion, native=False, random_state=0).fit(X, y).tree_
    for field in ("feature", "threshold", "children_left", "value", "impurity"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)


def test_regression_tree_native_and_numpy_grow_the_same_tree():
    X, y = make_regression(400, 6, noise=1.0, random_state=0)
    a = DecisionTreeRegressor(native=True, random_state=0).fit(X, y).tree_
    b = DecisionTreeRegressor(native=False, random_state=0).fit(X, y).tree_
    for field in ("feature", "threshold", "children_left", "value", "impurity"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)


def test_env_var_forces_the_numpy_fallback(monkeypatch):
    monkeypatch.setenv("ROADMAP_NO_NATIVE", "1")
    assert not ops.native_available()
    assert ops.backend().__name__.endswith("numpy_ops")
    monkeypatch.delenv("ROADMAP_NO_NATIVE")
    assert ops.backend().__name__.endswith("_native")
