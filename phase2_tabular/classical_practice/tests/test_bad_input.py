"""From-scratch pieces refuse bad input with clear errors."""

import numpy as np
import pytest

from phase2_tabular.classical_practice.paired_test import paired_t_test, t_ppf
from phase2_tabular.classical_practice.permutation import permutation_importance


def _scorer(est, X, y):
    return 1.0


def test_permutation_importance_rejects_zero_repeats():
    with pytest.raises(ValueError, match="n_repeats"):
        permutation_importance(None, np.zeros((3, 2)), np.zeros(3), _scorer, n_repeats=0)


def test_permutation_importance_rejects_empty_input():
    with pytest.raises(ValueError, match="empty"):
        permutation_importance(None, np.zeros((0, 2)), np.zeros(0), _scorer)


def test_paired_test_rejects_unpaired_or_too_short_scores():
    with pytest.raises(ValueError, match="equal 1-d"):
        paired_t_test(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="length >= 2"):
        paired_t_test(np.ones(1), np.ones(1))


def test_identical_models_give_zero_difference_not_a_crash():
    res = paired_t_test(np.array([0.9, 0.8, 0.85]), np.array([0.9, 0.8, 0.85]))
    assert res.mean_diff == 0.0 and res.ci_low == res.ci_high == 0.0


def test_t_quantile_rejects_probabilities_outside_zero_one():
    with pytest.raises(ValueError):
        t_ppf(1.0, 3)
