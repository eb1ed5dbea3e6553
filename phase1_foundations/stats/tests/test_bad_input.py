"""Clear errors on bad input."""

import numpy as np
import pytest

from phase1_foundations.stats.resampling import bootstrap_ci, permutation_test
from phase1_foundations.stats.tests_classical import (
    chi2_independence,
    mann_whitney_u,
    paired_ttest,
    welch_ttest,
)

RNG = np.random.default_rng(0)


def test_t_tests_reject_nan_short_or_mismatched_samples():
    with pytest.raises(ValueError, match="NaN"):
        welch_ttest([1.0, np.nan, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2"):
        welch_ttest([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="equal length"):
        paired_ttest([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="alternative"):
        welch_ttest([1.0, 2.0], [1.0, 3.0], alternative="bigger")


def test_chi2_rejects_negative_or_empty_margins():
    with pytest.raises(ValueError, match="non-negative"):
        chi2_independence([[1, -1], [2, 3]])
    with pytest.raises(ValueError, match="sums to zero"):
        chi2_independence([[0, 0], [2, 3]])
    with pytest.raises(ValueError, match="2-D"):
        chi2_independence([1, 2, 3])


def test_mann_whitney_rejects_empty_and_unknown_method():
    with pytest.raises(ValueError, match="at least 1"):
        mann_whitney_u([], [1.0])
    with pytest.raises(ValueError, match="method"):
        mann_whitney_u([1.0], [2.0], method="permutation")


def test_resampling_rejects_bad_arguments():
    x = np.arange(5.0)
    with pytest.raises(ValueError, match="method"):
        bootstrap_ci((x,), np.mean, method="basic", rng=RNG)
    with pytest.raises(ValueError, match="confidence_level"):
        bootstrap_ci((x,), np.mean, confidence_level=1.5, rng=RNG)
    with pytest.raises(ValueError, match="at least 2 observations"):
        bootstrap_ci(([1.0],), np.mean, rng=RNG)
    with pytest.raises(ValueError, match="at least 2 samples"):
        permutation_test((x,), np.mean, rng=RNG)
