"""Ours equals the references: permutation importance (scikit-learn), paired t-test (SciPy)."""

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.inspection import permutation_importance as sk_permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer

from phase0_env.common.parity import assert_parity, reference_version
from phase2_tabular.classical_practice.paired_test import paired_t_test, t_ppf
from phase2_tabular.classical_practice.parity import checks
from phase2_tabular.classical_practice.permutation import permutation_importance
from phase2_tabular.common.pipeline import make_pipeline
from phase2_tabular.common.tables import split_xy

SK = reference_version("scikit-learn")
SP = reference_version("scipy")


def test_every_parity_check_passes():
    results = checks()
    failed = [r for r in results if not r.passed]
    assert len(results) >= 5 and not failed, failed


@pytest.mark.parametrize("seed", [0, 1, 123])
@pytest.mark.parametrize("scoring", ["accuracy", "neg_log_loss"])
def test_permutation_importance_equals_sklearn_on_dataframes(penguins, seed, scoring):
    df, spec = penguins
    X, y = split_xy(df, spec)
    pipe = make_pipeline(spec, LogisticRegression(max_iter=2000)).fit(X, y)
    scorer = get_scorer(scoring)
    ours = permutation_importance(pipe, X, y, scorer, n_repeats=4, random_state=seed)
    ref = sk_permutation_importance(pipe, X, y, scoring=scorer, n_repeats=4, random_state=seed)
    # Identical shuffles and scorer calls: only float rounding could differ.
    assert_parity(
        ours.importances,
        ref.importances,
        reference=SK,
        rtol=1e-12,
        atol=1e-12,
        name="permutation importance",
    )
    assert_parity(
        ours.importances_mean,
        ref.importances_mean,
        reference=SK,
        rtol=1e-12,
        atol=1e-12,
        name="importances_mean",
    )


def test_permutation_importance_equals_sklearn_on_arrays():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    model = LogisticRegression().fit(X, y)
    scorer = get_scorer("accuracy")
    ours = permutation_importance(model, X, y, scorer, n_repeats=3, random_state=5)
    ref = sk_permutation_importance(model, X, y, scoring=scorer, n_repeats=3, random_state=5)
    assert_parity(ours.importances, ref.importances, reference=SK, rtol=1e-12, atol=1e-12)
    assert ours.importances_mean[0] > ours.importances_mean[3]  # the signal column matters


@settings(max_examples=30)
@given(
    st.lists(st.floats(0.5, 1.0), min_size=2, max_size=12),
    st.floats(-0.05, 0.05),
    st.integers(0, 10_000),
)
def test_paired_t_test_equals_scipy(base, shift, seed):
    a = np.array(base)
    b = a - shift + np.random.default_rng(seed).normal(0, 0.01, a.size)
    ours = paired_t_test(a, b)
    ref = scipy.stats.ttest_rel(a, b)
    ci = ref.confidence_interval(0.95)
    # float64 arithmetic in both; the t CDF is a continued fraction, so allow 1e-9.
    assert_parity(
        [ours.t_stat, ours.ci_low, ours.ci_high],
        [ref.statistic, ci.low, ci.high],
        reference=SP,
        rtol=1e-9,
        atol=1e-12,
        name="t and CI",
    )
    assert_parity(ours.p_value, ref.pvalue, reference=SP, rtol=1e-8, atol=1e-14, name="p")


@pytest.mark.parametrize("dof", [1, 2, 4, 9, 29, 200])
@pytest.mark.parametrize("q", [0.005, 0.5, 0.9, 0.975, 0.999])
def test_t_quantile_equals_scipy(dof, q):
    assert_parity(t_ppf(q, dof), scipy.stats.t.ppf(q, dof), reference=SP, rtol=1e-9, atol=1e-12)


def test_corrected_test_widens_the_interval():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0.9, 0.02, 10), rng.normal(0.88, 0.02, 10)
    plain = paired_t_test(a, b)
    corrected = paired_t_test(a, b, test_fraction=0.1)
    assert corrected.ci_high - corrected.ci_low > plain.ci_high - plain.ci_low
    assert corrected.p_value > plain.p_value
    assert corrected.mean_diff == plain.mean_diff
