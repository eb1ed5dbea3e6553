"""The minimal version against scikit-learn / SciPy and against the full version."""

from __future__ import annotations

import numpy as np
import scipy.stats
from sklearn.calibration import calibration_curve
from sklearn.datasets import make_classification
from sklearn.inspection import permutation_importance as sk_permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import KFold

from phase0_env.common.parity import assert_parity
from phase2_tabular.classical_practice import minimal
from phase2_tabular.classical_practice.paired_test import paired_t_test
from phase2_tabular.classical_practice.permutation import permutation_importance

X, y = make_classification(120, 4, n_informative=3, n_redundant=0, random_state=0)
MODEL = LogisticRegression().fit(X, y)


def test_kfold_splits_equal_sklearn_kfold():
    for n, k in [(10, 3), (11, 4), (7, 7)]:
        ours = minimal.kfold_splits(n, k)
        ref = list(KFold(k).split(np.zeros(n)))
        assert_parity(
            len(ours),
            len(ref),
            reference="scikit-learn KFold",
            exact=True,
            name=f"kfold count n={n} k={k}",
        )
        for (tr, te), (rtr, rte) in zip(ours, ref, strict=True):
            assert_parity(
                np.concatenate([tr, [-1], te]),
                np.concatenate([rtr, [-1], rte]),
                reference="scikit-learn KFold",
                exact=True,
                name=f"kfold n={n} k={k}",
            )


def test_permutation_importance_equals_sklearn_and_the_full_version():
    def score(X_, y_):
        return accuracy_score(y_, MODEL.predict(X_))

    ours = minimal.permutation_importance(score, X, y, n_repeats=4, random_state=3)
    ref = sk_permutation_importance(MODEL, X, y, scoring="accuracy", n_repeats=4, random_state=3)
    full = permutation_importance(
        MODEL, X, y, lambda m, X_, y_: score(X_, y_), n_repeats=4, random_state=3
    )
    # The same shuffles and the same accuracy calls: equal to the last bit.
    assert_parity(
        ours,
        ref.importances,
        reference="scikit-learn permutation_importance",
        exact=True,
        name="permutation importance",
    )
    assert_parity(
        ours, full.importances, reference="full version", exact=True, name="permutation vs full"
    )


def test_paired_t_test_equals_scipy_and_the_full_version():
    rng = np.random.default_rng(0)
    a = rng.normal(0.80, 0.02, size=10)
    b = a - rng.normal(0.01, 0.01, size=10)
    t, p = minimal.paired_t_test(a, b)
    ref = scipy.stats.ttest_rel(a, b)
    full = paired_t_test(a, b)
    # The same formula; p from our incomplete beta, SciPy's from Cephes: ~1e-12 apart.
    assert_parity(
        [t, p],
        [ref.statistic, ref.pvalue],
        reference="scipy ttest_rel",
        rtol=1e-9,
        name="paired t, p",
    )
    assert_parity(
        [t, p],
        [full.t_stat, full.p_value],
        reference="full version",
        rtol=1e-12,
        name="paired t vs full",
    )


def test_reliability_curve_equals_sklearn_calibration_curve():
    prob = MODEL.predict_proba(X)[:, 1]
    prob_edges = np.array([0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 0.2, 0.9])  # rows on bin edges too
    truth_edges = np.array([0, 0, 1, 1, 1, 1, 0, 1])
    for truth, p in [(y, prob), (truth_edges, prob_edges)]:
        frac, mean_pred = minimal.reliability_curve(truth, p, n_bins=5)
        ref_frac, ref_mean = calibration_curve(truth, p, n_bins=5, strategy="uniform")
        # The same bincount sums divided the same way.
        assert_parity(
            frac,
            ref_frac,
            reference="scikit-learn calibration_curve",
            rtol=1e-15,
            name="reliability fraction",
        )
        assert_parity(
            mean_pred,
            ref_mean,
            reference="scikit-learn calibration_curve",
            rtol=1e-15,
            name="reliability mean prob",
        )
