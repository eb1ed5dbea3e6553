"""Trees equal scikit-learn's for any random_state, exact ties included (no tie excuse)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import tree
from sklearn.utils._random import _our_rand_r_py

from phase1_foundations.classical_ml.feature_draw import RAND_R_MAX, FeatureDraw
from phase1_foundations.classical_ml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from phase1_foundations.classical_ml.tree_compare import compare_trees


def tied_data(seed: int, n: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer features in 0..3 (ties everywhere), a duplicated and a constant column."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, size=(n, 5)).astype(float)
    X = np.column_stack([X, X[:, 1], np.full(n, 2.0), 2 * X[:, 3]])
    return X, rng.integers(0, 3, n), rng.integers(-20, 21, n).astype(float)


def assert_same_tree(ours, ref, X, y):
    result = compare_trees(ours, ref, X, y)
    assert result == {"equal": ref.tree_.node_count, "mismatch": ""}, result
    for name in ("children_left", "children_right", "feature", "threshold", "n_node_samples"):
        np.testing.assert_array_equal(getattr(ours.tree_, name), getattr(ref.tree_, name), name)


@pytest.mark.parametrize("seed", [0, 1, 270369, 2**31 - 2, 2**32 - 1])
def test_our_rand_r_is_sklearns(seed):
    draw = FeatureDraw(1, 0)
    draw.state = seed
    assert draw.rand_int(0, RAND_R_MAX + 1) == _our_rand_r_py(seed)


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("max_features", [None, 1, 3, "sqrt", 0.5])
def test_classifier_equals_sklearn_for_many_random_states(criterion, max_features):
    for random_state in range(12):
        X, y, _ = tied_data(random_state)
        kw = dict(criterion=criterion, max_features=max_features, random_state=random_state)
        ours = DecisionTreeClassifier(**kw).fit(X, y)
        ref = tree.DecisionTreeClassifier(**kw).fit(X, y)
        assert_same_tree(ours, ref, X, y)
        # class counts are exact, so fractions and impurities are scikit-learn's bit for bit
        np.testing.assert_array_equal(ours.tree_.value, ref.tree_.value[:, 0, :])
        np.testing.assert_array_equal(ours.tree_.impurity, ref.tree_.impurity)
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("max_features", [None, 2, "log2"])
@pytest.mark.parametrize("targets", ["integer", "real"])
@pytest.mark.parametrize("native", [None, False])
def test_regressor_equals_sklearn_bit_for_bit(max_features, targets, native):
    # real targets: splits tied in exact arithmetic are decided by how scikit-learn's sums
    # round, which we replay (its sample order); integer targets: every sum is exact
    for random_state in range(8):
        X, _, y = tied_data(100 + random_state)
        if targets == "real":
            y = y / 7.0 + np.random.default_rng(random_state).normal(size=len(y))
        kw = dict(max_features=max_features, random_state=random_state)
        ours = DecisionTreeRegressor(native=native, **kw).fit(X, y)
        ref = tree.DecisionTreeRegressor(**kw).fit(X, y)
        assert_same_tree(ours, ref, X, y)
        np.testing.assert_array_equal(ours.tree_.value, ref.tree_.value[:, 0, :])
        np.testing.assert_array_equal(ours.tree_.impurity, ref.tree_.impurity)
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_regressor_on_continuous_data_full_depth_equals_sklearn():
    from sklearn.datasets import make_regression

    X, y = make_regression(300, 6, noise=5.0, random_state=0)
    for random_state in (0, 7, 2**31 - 2):
        ours = DecisionTreeRegressor(random_state=random_state).fit(X, y)
        ref = tree.DecisionTreeRegressor(random_state=random_state).fit(X, y)
        assert_same_tree(ours, ref, X, y)
        np.testing.assert_array_equal(ours.tree_.value, ref.tree_.value[:, 0, :])


def test_large_random_states_and_min_samples_leaf():
    X, y, _ = tied_data(7, n=200)
    for random_state in (2**31 - 2, 123456789, 42):
        kw = dict(random_state=random_state, min_samples_leaf=3, max_depth=6)
        assert_same_tree(
            DecisionTreeClassifier(**kw).fit(X, y),
            tree.DecisionTreeClassifier(**kw).fit(X, y),
            X,
            y,
        )


def test_random_state_none_draws_from_numpys_global_generator_like_sklearn():
    X, y, _ = tied_data(3)
    np.random.seed(11)
    ours = DecisionTreeClassifier().fit(X, y)
    np.random.seed(11)
    ref = tree.DecisionTreeClassifier().fit(X, y)
    assert_same_tree(ours, ref, X, y)


def test_a_randomstate_instance_is_used_as_given():
    X, y, _ = tied_data(4)
    ours = DecisionTreeClassifier(random_state=np.random.RandomState(9)).fit(X, y)
    ref = tree.DecisionTreeClassifier(random_state=np.random.RandomState(9)).fit(X, y)
    assert_same_tree(ours, ref, X, y)


def test_a_generator_is_refused_with_a_clear_error():
    X, y, _ = tied_data(5)
    with pytest.raises(ValueError, match="random_state must be None, an int or a numpy"):
        DecisionTreeClassifier(random_state=np.random.default_rng(0)).fit(X, y)


def test_constant_features_found_at_a_node_are_never_drawn_below_it():
    X, y, _ = tied_data(6)
    ours = DecisionTreeClassifier(random_state=0).fit(X, y)
    assert 6 not in set(ours.tree_.feature.tolist())  # the constant column


@pytest.mark.parametrize(
    "estimators",
    [
        ("clf", DecisionTreeClassifier, tree.DecisionTreeClassifier),
        ("reg", DecisionTreeRegressor, tree.DecisionTreeRegressor),
    ],
    ids=lambda e: e[0],
)
def test_values_within_the_float32_feature_threshold_are_never_split_apart(estimators):
    # scikit-learn adds its 1e-7 threshold in float32: 0 + 1e-7f rounds to the float32 value of
    # 1e-7, so 0 and 1e-7 count as equal there (in float64 they would not)
    _, ours_cls, ref_cls = estimators
    X = np.array([[0.0], [1e-7], [2e-7], [3.1e-7]])
    y = np.array([0, 1, 0, 1])
    ours, ref = ours_cls(random_state=0).fit(X, y), ref_cls(random_state=0).fit(X, y)
    assert_same_tree(ours, ref, X, y)
    assert ours.tree_.threshold[0] == ref.tree_.threshold[0] > 2e-7


def test_max_features_above_n_features_draws_every_feature_like_sklearn():
    X, y, _ = tied_data(8)
    for random_state in range(4):
        ours = DecisionTreeClassifier(max_features=20, random_state=random_state).fit(X, y)
        ref = tree.DecisionTreeClassifier(max_features=20, random_state=random_state).fit(X, y)
        assert ours.max_features_ == ref.max_features_ == 20
        assert_same_tree(ours, ref, X, y)
