"""Every estimator against scikit-learn (the milestone's parity checks, plus explicit asserts)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import cluster, linear_model, naive_bayes, neighbors, tree
from sklearn.datasets import make_blobs, make_classification, make_regression

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.classical_ml.kmeans import KMeans
from phase1_foundations.classical_ml.linear import LinearRegression, Ridge
from phase1_foundations.classical_ml.logistic import LogisticRegression
from phase1_foundations.classical_ml.naive_bayes import GaussianNB, MultinomialNB
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from phase1_foundations.classical_ml.parity import checks
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from phase1_foundations.classical_ml.tree_compare import compare_trees

SK = reference_version("scikit-learn")


def test_every_parity_check_passes():
    failed = [f"{r.name}: {r.detail}" for r in checks() if not r.passed]
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_knn_neighbours_and_predictions_equal_sklearn_on_continuous_data(metric, weights):
    # continuous features: no distance ties, so indices must match position by position
    X, y = make_classification(300, 6, n_informative=4, n_classes=3, random_state=1)
    ours = KNeighborsClassifier(7, weights=weights, metric=metric).fit(X[:200], y[:200])
    ref = neighbors.KNeighborsClassifier(7, weights=weights, metric=metric, algorithm="brute").fit(
        X[:200], y[:200]
    )
    d_o, i_o = ours.kneighbors(X[200:])
    d_r, i_r = ref.kneighbors(X[200:])
    assert_parity(i_o, i_r, reference=SK, exact=True, name="neighbour indices")
    # distances: direct sums vs scikit-learn's GEMM expansion, float64 rounding only
    assert_parity(d_o, d_r, reference=SK, rtol=1e-7, atol=1e-7, name="neighbour distances")
    assert_parity(ours.predict(X[200:]), ref.predict(X[200:]), reference=SK, exact=True)
    assert_parity(
        ours.predict_proba(X[200:]),
        ref.predict_proba(X[200:]),
        reference=SK,
        rtol=1e-9,
        atol=1e-12,
        name="predict_proba",
    )


def test_knn_regressor_equals_sklearn():
    X, y = make_regression(300, 5, noise=1.0, random_state=2)
    for weights in ("uniform", "distance"):
        o = KNeighborsRegressor(4, weights=weights).fit(X[:200], y[:200])
        r = neighbors.KNeighborsRegressor(4, weights=weights, algorithm="brute").fit(
            X[:200], y[:200]
        )
        assert_parity(o.predict(X[200:]), r.predict(X[200:]), reference=SK, rtol=1e-9)


def test_linear_and_ridge_coefficients_within_1e8_relative():
    X, y = make_regression(200, 8, noise=3.0, random_state=3)
    o, r = LinearRegression().fit(X, y), linear_model.LinearRegression().fit(X, y)
    assert_parity(o.coef_, r.coef_, reference=SK, rtol=1e-8, name="OLS coef")
    assert_parity(o.intercept_, r.intercept_, reference=SK, rtol=1e-8, atol=1e-10)
    o, r = Ridge(2.5).fit(X, y), linear_model.Ridge(2.5).fit(X, y)
    assert_parity(o.coef_, r.coef_, reference=SK, rtol=1e-8, name="ridge coef")


@pytest.mark.parametrize("n_classes", [2, 4])
def test_logistic_matches_sklearn_lbfgs_at_tight_tolerance(n_classes):
    X, y = make_classification(300, 6, n_informative=4, n_classes=n_classes, random_state=4)
    o = LogisticRegression(C=0.5).fit(X, y)
    r = linear_model.LogisticRegression(C=0.5, tol=1e-10, max_iter=10_000).fit(X, y)
    # 1e-4: lbfgs stops at gradient tol 1e-10; our Newton iterates converge further
    assert_parity(o.coef_, r.coef_, reference=SK, rtol=1e-4, atol=1e-4, name="coef")
    assert_parity(o.intercept_, r.intercept_, reference=SK, rtol=1e-4, atol=1e-4)
    assert_parity(o.predict(X), r.predict(X), reference=SK, exact=True, name="predictions")


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_shallow_tree_is_sklearns_tree_node_by_node(criterion):
    X, y = make_classification(400, 6, n_informative=4, n_classes=3, random_state=5)
    o = DecisionTreeClassifier(criterion=criterion, max_depth=3, random_state=0).fit(X, y)
    r = tree.DecisionTreeClassifier(criterion=criterion, max_depth=3, random_state=0).fit(X, y)
    assert compare_trees(o, r, X, y) == {"equal": r.tree_.node_count, "mismatch": ""}
    assert_parity(o.tree_.feature, r.tree_.feature, reference=SK, exact=True, name="feature")
    assert_parity(o.tree_.threshold, r.tree_.threshold, reference=SK, exact=True)
    # class fractions and impurities from exact counts: bit for bit
    assert_parity(o.tree_.value, r.tree_.value[:, 0, :], reference=SK, exact=True)
    assert_parity(o.tree_.impurity, r.tree_.impurity, reference=SK, exact=True)
    assert_parity(o.predict(X), r.predict(X), reference=SK, exact=True)
    assert_parity(
        o.feature_importances_, r.feature_importances_, reference=SK, rtol=1e-9, atol=1e-12
    )


def test_regression_tree_equal_to_sklearn_node_by_node():
    X, y = make_regression(300, 5, noise=2.0, random_state=6)
    o = DecisionTreeRegressor(max_depth=5, min_samples_leaf=3, random_state=0).fit(X, y)
    r = tree.DecisionTreeRegressor(max_depth=5, min_samples_leaf=3, random_state=0).fit(X, y)
    result = compare_trees(o, r, X, y)
    assert result == {"equal": r.tree_.node_count, "mismatch": ""}, result
    # leaf means: the same targets summed in scikit-learn's sample order, so bit for bit
    assert_parity(o.predict(X), r.predict(X), reference=SK, exact=True)


def test_kmeans_from_same_centres_gives_same_labels_and_inertia():
    X, _ = make_blobs(600, 4, centers=5, random_state=7)
    init = X[:5]
    o = KMeans(5, init=init).fit(X)
    r = cluster.KMeans(5, init=init, n_init=1, algorithm="lloyd").fit(X)
    assert_parity(o.labels_, r.labels_, reference=SK, exact=True, name="labels")
    assert_parity(o.inertia_, r.inertia_, reference=SK, rtol=1e-9, name="inertia")
    assert_parity(o.cluster_centers_, r.cluster_centers_, reference=SK, rtol=1e-9, atol=1e-12)


def test_naive_bayes_probabilities_within_1e9():
    X, y = make_classification(300, 5, n_informative=3, n_classes=3, random_state=8)
    assert_parity(
        GaussianNB().fit(X, y).predict_proba(X),
        naive_bayes.GaussianNB().fit(X, y).predict_proba(X),
        reference=SK,
        rtol=0,
        atol=1e-9,
    )
    counts = np.random.default_rng(8).poisson(3.0, size=(300, 7)).astype(float)
    assert_parity(
        MultinomialNB(0.5).fit(counts, y).predict_proba(counts),
        naive_bayes.MultinomialNB(alpha=0.5).fit(counts, y).predict_proba(counts),
        reference=SK,
        rtol=0,
        atol=1e-9,
    )
