"""Behaviour of the drift tests: no drift on equal samples, drift on shifted ones, clear errors."""

import numpy as np
import pandas as pd
import pytest

from phase5_mlops.monitoring import stattests as T
from phase5_mlops.monitoring.drift import choose_test, column_kind, detect_drift


def test_identical_samples_show_no_drift_in_any_test():
    x = np.random.default_rng(0).normal(size=400)
    for result in (
        T.ks_test(x, x),
        T.psi(x, x),
        T.jensen_shannon(x, x),
        T.wasserstein_normed(x, x),
    ):
        assert not result.drifted, result
    assert T.ks_test(x, x).p_value == 1.0 and T.psi(x, x).statistic == 0.0


def test_a_large_shift_is_drift_in_every_test():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=500), rng.normal(1.5, size=500)
    for result in (
        T.ks_test(a, b),
        T.psi(a, b),
        T.jensen_shannon(a, b),
        T.wasserstein_normed(a, b),
    ):
        assert result.drifted, result


def test_a_new_category_is_drift():
    result = T.chi_square_test(["a", "b"] * 50, ["a", "b", "c"] * 30)
    assert result.drifted and result.statistic == np.inf and result.p_value == 0.0


def test_missing_values_are_ignored_but_empty_samples_are_rejected():
    a = np.array([1.0, 2.0, np.nan, 3.0])
    assert T.ks_test(a, a).statistic == 0.0
    with pytest.raises(ValueError, match="at least one non-missing value"):
        T.ks_test([np.nan], [1.0])
    with pytest.raises(ValueError, match="at least one non-missing value"):
        T.chi_square_test([None], ["a"])


def test_column_kinds_and_test_choice_follow_evidently_defaults():
    small_num = pd.Series(np.arange(100.0))
    big_num = pd.Series(np.arange(5000.0))
    assert column_kind(small_num) == "numeric"
    assert column_kind(pd.Series([1, 2, 3] * 10)) == "categorical"  # few distinct numbers
    assert choose_test(small_num, "numeric") is T.ks_test
    assert choose_test(big_num, "numeric") is T.wasserstein_normed
    assert choose_test(pd.Series(["a", "b"] * 10), "categorical") is T.z_test
    assert choose_test(pd.Series(["a", "b", "c"] * 10), "categorical") is T.chi_square_test
    big_cat = choose_test(pd.Series(["a", "b", "c"] * 400), "categorical")
    assert big_cat(["a", "b"] * 10, ["a", "b"] * 10).test == "jensenshannon"


def test_detect_drift_reports_every_shared_column_and_rejects_bad_frames():
    ref = pd.DataFrame({"x": np.arange(50.0), "c": ["a", "b"] * 25, "only_ref": 1})
    cur = pd.DataFrame({"x": np.arange(50.0) + 100, "c": ["a", "b"] * 25})
    report = detect_drift(ref, cur)
    verdicts = {c.column: c.result.drifted for c in report.columns}
    assert verdicts == {"x": True, "c": False}
    assert report.drifted_share == 0.5
    with pytest.raises(ValueError, match="at least one row"):
        detect_drift(ref, cur.iloc[:0])
    with pytest.raises(KeyError, match="only_ref"):
        detect_drift(ref, cur, columns=["only_ref"])
