"""Hypothesis properties: permutations, duplicates, constant features, tiny classes, NaN."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import linear_model, naive_bayes, neighbors, tree

from phase1_foundations.classical_ml.linear import LinearRegression
from phase1_foundations.classical_ml.logistic import LogisticRegression
from phase1_foundations.classical_ml.naive_bayes import GaussianNB
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from phase1_foundations.classical_ml.tree_compare import compare_trees

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False, width=32)


@st.composite
def labelled(draw, min_rows=6, max_rows=30):
    n = draw(st.integers(min_rows, max_rows))
    d = draw(st.integers(1, 4))
    X = draw(arrays(np.float64, (n, d), elements=finite))
    y = draw(arrays(np.int64, n, elements=st.integers(0, 2)))
    return X, y


@settings(max_examples=15)
@given(labelled(), st.randoms(use_true_random=False))
def test_row_permutation_does_not_change_predictions(data, rnd):
    X, y = data
    perm = np.array(rnd.sample(range(len(X)), len(X)))
    if np.var(X, axis=0).max() == 0:  # GaussianNB refuses all-constant X (test_refusals.py)
        return
    for est in (GaussianNB(), LinearRegression()):
        yy = y.astype(float)
        a = est.fit(X, yy if est._estimator_type == "regressor" else y).predict(X)
        b = est.fit(X[perm], (yy if est._estimator_type == "regressor" else y)[perm]).predict(X)
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6, err_msg=type(est).__name__)


@settings(max_examples=15)
@given(labelled(), st.randoms(use_true_random=False), st.integers(0, 2**31 - 2))
def test_row_permutation_changes_a_tree_exactly_as_it_changes_sklearns(data, rnd, seed):
    # Where splits tie, the sample order decides (scikit-learn's sort is not stable), so a
    # permutation may change the tree: it must change ours the same way.
    X, y = data
    perm = np.array(rnd.sample(range(len(X)), len(X)))
    Xp, yp = X[perm], y[perm].astype(float)
    ours = DecisionTreeRegressor(max_depth=3, random_state=seed).fit(Xp, yp)
    ref = tree.DecisionTreeRegressor(max_depth=3, random_state=seed).fit(Xp, yp)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@settings(max_examples=15)
@given(labelled())
def test_knn_with_duplicated_rows_matches_sklearn(data):
    X, y = data
    X2, y2 = np.vstack([X, X]), np.concatenate([y, y])  # every distance is tied twice
    k = min(5, len(X2))
    ours = KNeighborsClassifier(k).fit(X2, y2)
    ref = neighbors.KNeighborsClassifier(k, algorithm="brute").fit(X2, y2)
    d_o = ours.kneighbors(X)[0]
    d_r = ref.kneighbors(X)[0]
    np.testing.assert_allclose(d_o, d_r, rtol=1e-6, atol=1e-5)
    assert np.all(d_o[:, 0] == 0.0) and np.all(d_o[:, 1] == 0.0)  # itself, and its twin


@settings(max_examples=15)
@given(labelled())
def test_constant_feature_is_never_split_and_tree_equals_sklearn(data):
    X, y = data
    Xc = np.column_stack([X, np.full(len(X), 3.0)])
    ours = DecisionTreeClassifier(max_depth=2, random_state=0).fit(Xc, y)
    ref = tree.DecisionTreeClassifier(max_depth=2, random_state=0).fit(Xc, y)
    assert Xc.shape[1] - 1 not in set(ours.tree_.feature.tolist())
    assert ours.feature_importances_[-1] == 0.0
    result = compare_trees(ours, ref, Xc, y)  # equal node by node, ties included
    assert result == {"equal": ref.tree_.node_count, "mismatch": ""}, result


@settings(max_examples=20)
@given(st.integers(2, 5), st.integers(1, 4), st.integers(0, 10_000))
def test_one_sample_per_class(n_classes, d, seed):
    X = np.random.default_rng(seed).normal(size=(n_classes, d))
    y = np.arange(n_classes)
    np.testing.assert_array_equal(DecisionTreeClassifier().fit(X, y).predict(X), y)
    np.testing.assert_array_equal(KNeighborsClassifier(1).fit(X, y).predict(X), y)
    ours_lr = LogisticRegression(C=1.0).fit(X, y).predict_proba(X)
    ref_lr = linear_model.LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours_lr, ref_lr.predict_proba(X), atol=1e-5)
    ours = GaussianNB().fit(X, y).predict_proba(X)
    ref = naive_bayes.GaussianNB().fit(X, y).predict_proba(X)
    np.testing.assert_allclose(ours, ref, atol=1e-9)


@settings(max_examples=20)
@given(labelled(), st.integers(0, 10_000))
def test_nan_anywhere_is_rejected_with_a_clear_error(data, where):
    X, y = data
    X = X.copy()
    X.flat[where % X.size] = np.nan
    for est in (KNeighborsClassifier(1), GaussianNB(), DecisionTreeClassifier()):
        with pytest.raises(ValueError, match="Input X contains NaN"):
            est.fit(X, y)
