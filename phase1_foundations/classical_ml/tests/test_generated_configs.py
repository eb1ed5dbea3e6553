"""Generated configurations against scikit-learn: degenerate data and every estimator's knobs.

Data: 1 to 14 rows, integer values (ties everywhere) or float32 values, with duplicated
rows, duplicated (or doubled) columns and constant columns mixed in; 1 to 3 classes.
`make test` runs the ci profile's budget; `-m slow` runs the same properties at 400 examples.
Configurations outside the supported space must raise a clear ValueError (test_refusals.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import cluster, linear_model, naive_bayes, neighbors, tree

from phase1_foundations.classical_ml.kmeans import KMeans
from phase1_foundations.classical_ml.linear import LinearRegression, Ridge
from phase1_foundations.classical_ml.logistic import LogisticRegression
from phase1_foundations.classical_ml.naive_bayes import GaussianNB, MultinomialNB
from phase1_foundations.classical_ml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from phase1_foundations.classical_ml.parity import canonical_neighbours
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from phase1_foundations.classical_ml.tree_compare import compare_trees

SLOW = settings(max_examples=400)


@st.composite
def degenerate_data(draw, max_rows: int = 14, integers: bool | None = None):
    """(X, y_class, y_real): duplicate rows/columns, constant columns, few classes."""
    n = draw(st.integers(1, max_rows))
    d = draw(st.integers(1, 4))
    if integers if integers is not None else draw(st.booleans()):
        X = np.array(draw(st.lists(st.integers(-3, 3), min_size=n * d, max_size=n * d)), float)
    else:
        vals = st.floats(-100, 100, allow_nan=False, width=32)
        X = np.array(draw(st.lists(vals, min_size=n * d, max_size=n * d)), float)
    X = X.reshape(n, d)
    if draw(st.booleans()):  # duplicated rows
        X = np.vstack([X, X[: draw(st.integers(1, n))]])
    extra = draw(st.sampled_from(["none", "copy", "double", "constant"]))
    if extra == "copy":
        X = np.column_stack([X, X[:, 0]])
    elif extra == "double":
        X = np.column_stack([X, 2.0 * X[:, -1]])
    elif extra == "constant":
        X = np.column_stack([X, np.full(len(X), 1.5)])
    m = len(X)
    n_classes = draw(st.integers(1, 3))
    y_class = np.array(draw(st.lists(st.integers(0, n_classes - 1), min_size=m, max_size=m)))
    y_real = np.array(draw(st.lists(st.integers(-50, 50), min_size=m, max_size=m)), float) / 8.0
    return X, y_class, y_real


seeds = st.integers(0, 2**31 - 2)
tree_params = st.fixed_dictionaries(
    {
        "max_depth": st.sampled_from([None, 1, 2, 4]),
        "min_samples_leaf": st.integers(1, 3),
        "min_samples_split": st.integers(2, 5),
        "max_features": st.sampled_from([None, 1, 2, 6, "sqrt", "log2", 0.5]),  # 6 > d too
        "random_state": seeds,
    }
)


def _trees_equal(data, params, criterion):
    X, yc, yr = data
    if criterion == "squared_error":
        ours = DecisionTreeRegressor(**params).fit(X, yr)
        ref = tree.DecisionTreeRegressor(**params).fit(X, yr)
        y = yr
    else:
        ours = DecisionTreeClassifier(criterion=criterion, **params).fit(X, yc)
        ref = tree.DecisionTreeClassifier(criterion=criterion, **params).fit(X, yc)
        y = yc
    result = compare_trees(ours, ref, X, y)
    assert result == {"equal": ref.tree_.node_count, "mismatch": ""}, result
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@given(degenerate_data(), tree_params, st.sampled_from(["gini", "entropy", "squared_error"]))
def test_trees_equal_sklearn_bit_for_bit(data, params, criterion):
    _trees_equal(data, params, criterion)


@pytest.mark.slow
@SLOW
@given(degenerate_data(max_rows=40), tree_params, st.sampled_from(["gini", "squared_error"]))
def test_trees_equal_sklearn_bit_for_bit_many_examples(data, params, criterion):
    _trees_equal(data, params, criterion)


def _knn(data, k, weights, metric):
    X, yc, yr = data
    ours = KNeighborsClassifier(k, weights=weights, metric=metric).fit(X, yc)
    ref = neighbors.KNeighborsClassifier(k, weights=weights, metric=metric, algorithm="brute")
    ref.fit(X, yc)
    if k > len(X):  # we refuse, with scikit-learn's kneighbors message
        with pytest.raises(ValueError, match="Expected n_neighbors <= n_samples_fit"):
            ours.predict(X)
        with pytest.raises(ValueError, match="Expected n_neighbors <= n_samples_fit"):
            ref.kneighbors(X)
        # (scikit-learn's own predict can skip that check on its uniform-vote fast path and
        # answer anyway: test_sklearn_predict_with_k_above_n_is_not_a_reference below)
        return
    # queries are a copy: given the very array it was fitted on, scikit-learn's cosine path
    # zeroes the diagonal (object identity), which puts a zero row at distance 0 from itself
    Q = X.copy()
    d_o, i_o = ours.kneighbors(Q)
    d_r, i_r = ref.kneighbors(Q)
    # float64 distances, scikit-learn's GEMM form vs our direct sums: 1e-7 of the data scale
    scale = 1.0 + float(np.abs(X).max())
    np.testing.assert_allclose(d_o, d_r, rtol=1e-7, atol=1e-7 * scale)
    from phase1_foundations.classical_ml.parity import _distances

    D = _distances(X, X, metric)
    canon, tied = canonical_neighbours(d_o, i_o, i_r, D)
    if weights == "distance":
        # A distance within the tolerance above can be exactly 0 on one side only (subnormal
        # data: 1e-44 apart by our direct sums, 0 by scikit-learn's GEMM form); a zero distance
        # makes that neighbour take all the weight, so such rows are a tie, not a miss.
        tied = tied | ((d_o == 0) != (d_r == 0)).any(axis=1)
    np.testing.assert_array_equal(i_o[~tied], canon[~tied])
    np.testing.assert_array_equal(ours.predict(Q)[~tied], ref.predict(Q)[~tied])
    reg = KNeighborsRegressor(k, weights=weights, metric=metric).fit(X, yr).predict(Q)
    reg_ref = neighbors.KNeighborsRegressor(k, weights=weights, metric=metric, algorithm="brute")
    np.testing.assert_allclose(reg[~tied], reg_ref.fit(X, yr).predict(Q)[~tied], rtol=1e-9)


knn_args = (
    degenerate_data(),
    st.integers(1, 16),
    st.sampled_from(["uniform", "distance"]),
    st.sampled_from(["euclidean", "manhattan", "cosine"]),
)


@given(*knn_args)
def test_knn_equals_sklearn_and_refuses_k_larger_than_n(data, k, weights, metric):
    _knn(data, k, weights, metric)


@pytest.mark.slow
@SLOW
@given(*knn_args)
def test_knn_equals_sklearn_many_examples(data, k, weights, metric):
    _knn(data, k, weights, metric)


def test_sklearn_predict_with_k_above_n_is_not_a_reference():
    # 6 rows, 5 of class 0: scikit-learn's uniform manhattan vote with k=14 answers class 1 for
    # every row instead of refusing; we refuse, as its kneighbors does
    X = np.array([[-3.0, -2, -1, 2, 4], [-3, 0, 3, 1, 2], [3, 0, 0, 3, 6]] * 2)
    y = np.array([1, 0, 0, 0, 0, 0])
    ref = neighbors.KNeighborsClassifier(14, metric="manhattan", algorithm="brute").fit(X, y)
    assert list(ref.predict(X)) == [1] * 6
    with pytest.raises(ValueError, match="n_neighbors = 14, n_samples_fit = 6"):
        KNeighborsClassifier(14, metric="manhattan").fit(X, y).predict(X)


def _linear(data, alpha, fit_intercept):
    X, _, y = data
    ours = Ridge(alpha, fit_intercept=fit_intercept).fit(X, y)
    ols = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    ref_ols = linear_model.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    # float64 least squares through two SVD solvers; 1e-7 of the data scale (rank-deficient
    # systems are solved to the minimum-norm answer by both, with lstsq's cut-off)
    scale = 1.0 + float(np.abs(y).max())
    np.testing.assert_allclose(ols.predict(X), ref_ols.predict(X), rtol=1e-7, atol=1e-7 * scale)
    if alpha == 0:
        np.testing.assert_allclose(
            ours.predict(X), ref_ols.predict(X), rtol=1e-7, atol=1e-7 * scale
        )
        np.testing.assert_allclose(ours.coef_, ref_ols.coef_, rtol=1e-6, atol=1e-7 * scale)
    else:  # alpha >= 0.1 on this data: a well-conditioned system for scikit-learn's solver too
        ref = linear_model.Ridge(alpha, fit_intercept=fit_intercept).fit(X, y)
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-7, atol=1e-9 * scale)
        np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-7, atol=1e-9 * scale)


linear_args = (degenerate_data(), st.sampled_from([0.0, 0.1, 1.0, 10.0]), st.booleans())


@given(*linear_args)
def test_linear_and_ridge_equal_sklearn(data, alpha, fit_intercept):
    _linear(data, alpha, fit_intercept)


@pytest.mark.slow
@SLOW
@given(*linear_args)
def test_linear_and_ridge_equal_sklearn_many_examples(data, alpha, fit_intercept):
    _linear(data, alpha, fit_intercept)


def _naive_bayes(data, alpha):
    X, yc, _ = data
    counts = np.abs(X)
    ours = MultinomialNB(alpha).fit(counts, yc).predict_proba(counts)
    ref = naive_bayes.MultinomialNB(alpha=alpha).fit(counts, yc).predict_proba(counts)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9)  # float64 log-space, 1e-9 abs
    gaussian = naive_bayes.GaussianNB().fit(X, yc)
    if not np.all(gaussian.var_ > 0):  # scikit-learn predicts NaN here; we refuse
        assert np.isnan(gaussian.predict_proba(X)).any()
        with pytest.raises(ValueError, match="positive variance"):
            GaussianNB().fit(X, yc)
        return
    np.testing.assert_allclose(
        GaussianNB().fit(X, yc).predict_proba(X), gaussian.predict_proba(X), rtol=0, atol=1e-9
    )


@given(degenerate_data(), st.sampled_from([1e-3, 0.5, 1.0, 2.0]))
def test_naive_bayes_equals_sklearn_or_refuses_nan(data, alpha):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's divide warnings on zero variance
        _naive_bayes(data, alpha)


@given(degenerate_data(), st.sampled_from([0.1, 1.0]))
def test_logistic_equals_sklearn_or_both_refuse_one_class(data, C):
    X, yc, _ = data
    ours = LogisticRegression(C=C)
    ref = linear_model.LogisticRegression(C=C, tol=1e-10, max_iter=10_000)
    if len(np.unique(yc)) < 2:
        with pytest.raises(ValueError, match="only one class"):
            ours.fit(X, yc)
        with pytest.raises(ValueError, match="only one class"):
            ref.fit(X, yc)
        return
    p_o = ours.fit(X, yc).predict_proba(X)
    p_r = ref.fit(X, yc).predict_proba(X)
    # lbfgs stops at gradient tol 1e-10 on its own scaling; Newton converges further: 1e-5
    np.testing.assert_allclose(p_o, p_r, rtol=0, atol=1e-5)


@given(degenerate_data(integers=False), st.integers(1, 4))
def test_kmeans_from_the_same_centres_equals_sklearn(data, k):
    _kmeans(data, k)


@pytest.mark.slow
@SLOW
@given(degenerate_data(integers=False, max_rows=40), st.integers(1, 6))
def test_kmeans_from_the_same_centres_equals_sklearn_many_examples(data, k):
    _kmeans(data, k)


def test_an_emptied_cluster_is_relocated_as_sklearn_relocates_it():
    # three nearly equal initial centres: two clusters empty on the first step; scikit-learn
    # moves each to a far row (argpartition order), takes that row out of its old cluster's
    # sums, and averages by multiplying with 1/count
    # (hypothesis found it: our old rule kept the moved row in its old cluster's mean)
    far, near = [[1.7829763889312744, 1.5], [49.39541244506836, 1.5]], [[0.0, 1.5]]
    X = np.array(far + near + [[-1.1754943508222875e-38, 1.5], [-5.960464477539063e-08, 1.5]] + far)
    init = np.unique(X, axis=0)[:4]
    for native in (None, False):
        ours = KMeans(4, init=init, native=native).fit(X)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scikit-learn: fewer distinct clusters than k
            ref = cluster.KMeans(4, init=init, n_init=1, algorithm="lloyd").fit(X)
        np.testing.assert_array_equal(ours.labels_, ref.labels_)
        np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-12)


def _kmeans(data, k):
    X = data[0]
    distinct = np.unique(X, axis=0)
    if k > len(distinct):  # k larger than the distinct rows: both refuse or we skip init
        with pytest.raises(ValueError, match="should be >= n_clusters"):
            KMeans(len(X) + 1).fit(X)
        with pytest.raises(ValueError, match="should be >= n_clusters"):
            cluster.KMeans(len(X) + 1, n_init=1).fit(X)
        return
    init = distinct[:k]
    ours = KMeans(k, init=init).fit(X)
    ref = cluster.KMeans(k, init=init, n_init=1, algorithm="lloyd").fit(X)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    # float64 sums of squares in another order: 1e-9 relative, 1e-9 of the data scale
    np.testing.assert_allclose(
        ours.inertia_, ref.inertia_, rtol=1e-9, atol=1e-9 * (1 + float(np.abs(X).max())) ** 2
    )


def test_cosine_treats_a_near_zero_row_as_zero_like_sklearn():
    # norm 5e-16 < 10 eps: scikit-learn leaves the row unnormalised (distance 1 to all rows)
    X = np.array([[18.9, 37.8], [2.220446049250313e-16, 4.440892098500626e-16], [1.5, 3.0]])
    y = np.array([0, 1, 0])
    ours = KNeighborsClassifier(3, metric="cosine").fit(X, y).kneighbors(X.copy())[0]
    ref = neighbors.KNeighborsClassifier(3, metric="cosine", algorithm="brute").fit(X, y)
    np.testing.assert_allclose(ours, ref.kneighbors(X.copy())[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours[1], [1.0, 1.0, 1.0], rtol=0, atol=1e-12)
