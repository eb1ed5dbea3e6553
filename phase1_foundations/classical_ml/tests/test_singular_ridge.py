"""Ridge on rank-deficient features: scikit-learn's least-squares answer, never a silent one.

scikit-learn's own `Ridge(alpha=0)` (Cholesky on X^T X) returns wrong coefficients and even
wrong predictions on such data, at most with a warning; its reference answer for alpha=0 is
`LinearRegression` (minimum-norm least squares), and for alpha > 0 ridge on the equivalent
full-rank problem (duplicated columns merged), which is well conditioned.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import linear_model

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.classical_ml.linear import Ridge

SK = reference_version("scikit-learn")


def _rank_deficient(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(100, 4))
    X = np.column_stack([Z, Z @ rng.normal(size=(4, 12))])  # rank 4 of 16 columns
    return X, Z @ rng.normal(size=4) + 0.1 * rng.normal(size=100)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_alpha_zero_on_rank_deficient_x_is_sklearns_minimum_norm_least_squares(seed, fit_intercept):
    X, y = _rank_deficient(seed)
    ours = Ridge(0.0, fit_intercept=fit_intercept).fit(X, y)
    ref = linear_model.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    # float64 through two SVD-based solvers (ours and scipy's gelsd): 1e-8 relative
    assert_parity(ours.coef_, ref.coef_, reference=SK, rtol=1e-8, atol=1e-10, name="coef")
    assert_parity(ours.intercept_, ref.intercept_, reference=SK, rtol=1e-8, atol=1e-10)
    assert_parity(ours.predict(X), ref.predict(X), reference=SK, rtol=1e-8, atol=1e-10)
    assert ours.solver_ == "svd"


def _merge_duplicates(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X = [Z, Z0, 2 Z1] and the equivalent full-rank design with its coefficient map.

    Ridge spreads a column c repeated with scales s_i as w_i = s_i v / sqrt(sum s_i^2), where v
    is ridge's coefficient on the single column sqrt(sum s_i^2) c: the same fit and penalty.
    """
    X = np.column_stack([Z, Z[:, 0], 2.0 * Z[:, 1]])
    norms = np.ones(Z.shape[1])
    norms[0], norms[1] = np.sqrt(2.0), np.sqrt(5.0)
    scales = np.r_[np.ones(Z.shape[1]), 1.0, 2.0]
    owner = np.r_[np.arange(Z.shape[1]), 0, 1]
    return X, Z * norms, scales / norms[owner]


@pytest.mark.parametrize("alpha", [0.0, 1e-10, 1e-3, 1.0, 100.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_on_duplicated_columns_equals_sklearn_ridge_on_merged_columns(alpha, fit_intercept):
    rng = np.random.default_rng(11)
    Z = rng.normal(size=(60, 4))
    y = Z @ rng.normal(size=4) + rng.normal(size=60)
    X, merged, spread = _merge_duplicates(Z)
    ours = Ridge(alpha, fit_intercept=fit_intercept).fit(X, y)
    ref = (
        linear_model.Ridge(alpha, fit_intercept=fit_intercept).fit(merged, y)
        if alpha > 0
        else linear_model.LinearRegression(fit_intercept=fit_intercept).fit(merged, y)
    )
    owner = np.r_[np.arange(4), 0, 1]
    expected = ref.coef_[owner] * spread
    # float64, a well-conditioned reference: 1e-8 relative
    assert_parity(ours.coef_, expected, reference=SK, rtol=1e-8, atol=1e-12, name="coef")
    assert_parity(ours.predict(X), ref.predict(merged), reference=SK, rtol=1e-8, atol=1e-10)


def test_sklearn_ridge_alpha_zero_is_itself_wrong_here_so_it_is_not_the_reference():
    # Documents the choice above: on this data scikit-learn's Cholesky solve misses the
    # least-squares fit (its residual is 68% larger), without a warning; LinearRegression does not.
    X, y = _rank_deficient(0)
    sk_ridge = linear_model.Ridge(0.0).fit(X, y)
    lstsq = linear_model.LinearRegression().fit(X, y)
    sk_rss = float(np.sum((sk_ridge.predict(X) - y) ** 2))
    best_rss = float(np.sum((lstsq.predict(X) - y) ** 2))
    assert sk_rss > 1.5 * best_rss
    ours = Ridge(0.0).fit(X, y)
    assert float(np.sum((ours.predict(X) - y) ** 2)) == pytest.approx(best_rss, rel=1e-12)


def test_singularity_is_detected_by_condition_number_not_by_solve_raising():
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(50, 3))
    well = Ridge(1.0).fit(Z, Z[:, 0])
    assert well.solver_ == "lu"
    # a column equal to 0.1 a + 0.3 b up to rounding: solve() raises nothing on this Gram matrix
    X = np.column_stack([Z, 0.1 * Z[:, 0] + 0.3 * Z[:, 1]])
    assert Ridge(0.0).fit(X, Z[:, 2]).solver_ == "svd"
    # a large alpha makes the same system well conditioned again
    assert Ridge(10.0).fit(X, Z[:, 2]).solver_ == "lu"


@pytest.mark.parametrize("n", [1, 3])
def test_more_features_than_samples_is_sklearns_answer(n):
    rng = np.random.default_rng(n)
    X, y = rng.normal(size=(n, 6)), rng.normal(size=n)
    for alpha in (0.0, 0.5):
        ours = Ridge(alpha).fit(X, y)
        ref = (
            linear_model.Ridge(alpha).fit(X, y)
            if alpha > 0
            else linear_model.LinearRegression().fit(X, y)
        )
        assert_parity(ours.coef_, ref.coef_, reference=SK, rtol=1e-8, atol=1e-12)
        assert_parity(ours.predict(X), ref.predict(X), reference=SK, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("alpha", [-1.0, np.nan, np.inf])
def test_negative_or_non_finite_alpha_is_refused(alpha):
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        Ridge(alpha).fit(np.eye(3), np.ones(3))
