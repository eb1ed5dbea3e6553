"""The minimal version against scikit-learn and against the full version, on seeded data."""

from __future__ import annotations

import numpy as np
from sklearn import cluster, neighbors, tree
from sklearn.datasets import make_blobs, make_classification

from phase0_env.common.parity import assert_parity
from phase1_foundations.classical_ml import minimal
from phase1_foundations.classical_ml.kmeans import KMeans
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier

X, y = make_classification(160, 5, n_informative=3, n_classes=3, random_state=0)
X_train, y_train, X_test = X[:120], y[:120], X[120:]


def test_squared_distances_match_numpy_norms():
    A, B = X[:7], X[7:12]
    expected = np.linalg.norm(A[:, None] - B[None], axis=2) ** 2
    # float64 sums of 5 squares taken in another order: a few ulps apart.
    assert_parity(
        minimal.squared_distances(A, B),
        expected,
        reference="numpy norm",
        rtol=1e-12,
        name="squared distances",
    )


def test_knn_predict_equals_sklearn_and_ours():
    ours = minimal.knn_predict(X_train, y_train, X_test, k=5)
    ref = neighbors.KNeighborsClassifier(5, algorithm="brute").fit(X_train, y_train)
    full = KNeighborsClassifier(5).fit(X_train, y_train)
    assert_parity(
        ours,
        ref.predict(X_test),
        reference="scikit-learn kNN",
        exact=True,
        name="knn labels vs sklearn",
    )
    assert_parity(
        ours,
        full.predict(X_test),
        reference="full version kNN",
        exact=True,
        name="knn labels vs full",
    )


def test_kmeans_equals_sklearn_lloyd_from_the_same_centres():
    Xb, _ = make_blobs(150, 2, centers=3, cluster_std=1.5, random_state=1)
    init = Xb[[0, 50, 100]]
    labels, centres = minimal.kmeans(Xb, init)
    ref = cluster.KMeans(3, init=init, n_init=1, tol=0.0, algorithm="lloyd").fit(Xb)
    full = KMeans(3, init=init, tol=0.0).fit(Xb)
    assert_parity(
        labels,
        ref.labels_,
        reference="scikit-learn KMeans",
        exact=True,
        name="kmeans labels vs sklearn",
    )
    # Means of the same rows, summed in another order (scikit-learn centres the data first).
    assert_parity(
        centres,
        ref.cluster_centers_,
        reference="scikit-learn KMeans",
        rtol=1e-9,
        atol=1e-12,
        name="kmeans centres vs sklearn",
    )
    assert_parity(
        labels,
        full.labels_,
        reference="full version KMeans",
        exact=True,
        name="kmeans labels vs full",
    )


def test_best_split_equals_the_root_of_sklearns_tree_and_ours():
    # Trees train in float32: data that float32 holds exactly makes thresholds comparable.
    X32 = X_train.astype(np.float32).astype(np.float64)
    feature, threshold = minimal.best_split(X32, y_train)
    ref = tree.DecisionTreeClassifier(max_depth=1, random_state=0).fit(X32, y_train).tree_
    full = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X32, y_train).tree_
    assert_parity(
        feature,
        ref.feature[0],
        reference="scikit-learn tree",
        exact=True,
        name="split feature vs sklearn",
    )
    # Midpoints of two float32 values are exact in float64, computed either way.
    assert_parity(
        threshold,
        ref.threshold[0],
        reference="scikit-learn tree",
        rtol=1e-15,
        name="split threshold vs sklearn",
    )
    assert_parity(
        (feature, threshold),
        (full.feature[0], full.threshold[0]),
        reference="full version tree",
        rtol=1e-15,
        name="split vs full",
    )


def test_gini_of_small_sets():
    got = [minimal.gini(np.array(v)) for v in ([0, 0, 1, 1], [1, 1, 1], [0, 1, 2])]
    assert_parity(got, [0.5, 0.0, 2 / 3], reference="closed form", rtol=1e-15, name="gini")
