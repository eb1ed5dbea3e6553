"""The scikit-learn estimator API: params, clone, fit returns self, seeds reproduce."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import cluster
from sklearn.base import clone
from sklearn.datasets import make_blobs, make_classification
from sklearn.model_selection import GridSearchCV

from phase1_foundations.classical_ml.kmeans import KMeans
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier

X, y = make_classification(200, 6, n_informative=4, random_state=0)


def test_get_set_params_and_clone_round_trip():
    est = KNeighborsClassifier(3, weights="distance")
    assert est.get_params()["n_neighbors"] == 3
    assert est.set_params(n_neighbors=7) is est and est.n_neighbors == 7
    twin = clone(est)
    assert twin is not est and twin.get_params() == est.get_params()
    with pytest.raises(ValueError, match="Invalid parameter 'k'"):
        est.set_params(k=3)
    assert repr(est).startswith("KNeighborsClassifier(")


def test_grid_search_runs_on_our_estimator():
    search = GridSearchCV(DecisionTreeClassifier(), {"max_depth": [1, 3]}, cv=3).fit(X, y)
    assert search.best_params_["max_depth"] in (1, 3)
    assert hasattr(search.best_estimator_, "tree_")


def test_max_features_is_reproducible_with_random_state():
    a = DecisionTreeClassifier(max_features=2, random_state=1).fit(X, y).tree_
    b = DecisionTreeClassifier(max_features=2, random_state=1).fit(X, y).tree_
    c = DecisionTreeClassifier(max_features=2, random_state=2).fit(X, y).tree_
    np.testing.assert_array_equal(a.feature, b.feature)
    assert a.node_count != c.node_count or not np.array_equal(a.feature, c.feature)


def test_kmeans_plus_plus_reaches_sklearns_inertia():
    Xb, _ = make_blobs(800, 3, centers=5, cluster_std=0.6, random_state=3)
    ours = KMeans(5, n_init=5, random_state=0).fit(Xb)
    ref = cluster.KMeans(5, n_init=5, random_state=0).fit(Xb)
    # different draws, same algorithm: on well-separated blobs both find the same optimum
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=1e-9)
    again = KMeans(5, n_init=5, random_state=0).fit(Xb)
    np.testing.assert_array_equal(ours.labels_, again.labels_)
