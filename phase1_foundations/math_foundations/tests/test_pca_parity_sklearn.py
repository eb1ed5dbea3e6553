"""PCA (SVD and covariance eigh) equals scikit-learn's PCA; power iteration equals eigh."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import decomposition

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.math_foundations.parity import pca_data
from phase1_foundations.math_foundations.pca import PCA, power_iteration

SK = reference_version("scikit-learn")
# float64 rtol 1e-7; atol 1e-10 on components/projections: entries near 0 carry LAPACK
# rounding (~1e-15 x scale) that a relative tolerance cannot absorb.
RTOL, ATOL = 1e-7, 1e-10
SOLVERS = [("svd", "full"), ("eigh", "covariance_eigh")]


@pytest.mark.parametrize(("solver", "sk_solver"), SOLVERS)
@given(n=st.integers(10, 80), d=st.integers(2, 7), seed=st.integers(0, 1000))
@settings(max_examples=20)
def test_pca_matches_sklearn_on_random_data(solver, sk_solver, n, d, seed):
    X = pca_data(n, d, seed)
    k = min(n, d) - 1 or 1
    ours, sk = PCA(k, solver=solver).fit(X), decomposition.PCA(k, svd_solver=sk_solver).fit(X)
    assert_parity(
        ours.components_, sk.components_, reference=SK, rtol=RTOL, atol=ATOL, name="components"
    )
    assert_parity(
        ours.explained_variance_,
        sk.explained_variance_,
        reference=SK,
        rtol=RTOL,
        atol=1e-12,
        name="explained variance",
    )
    assert_parity(
        ours.explained_variance_ratio_,
        sk.explained_variance_ratio_,
        reference=SK,
        rtol=RTOL,
        atol=1e-12,
        name="explained variance ratio",
    )
    assert_parity(
        ours.transform(X), sk.transform(X), reference=SK, rtol=RTOL, atol=ATOL, name="transform"
    )


def test_svd_and_eigh_solvers_agree_and_reconstruct_with_all_components():
    X = pca_data(200, 5, seed=3)
    a, b = PCA(solver="svd").fit(X), PCA(solver="eigh").fit(X)
    assert_parity(a.components_, b.components_, reference="own svd solver", rtol=RTOL, atol=ATOL)
    assert_parity(a.inverse_transform(a.transform(X)), X, reference="input", rtol=RTOL, atol=ATOL)


@given(seed=st.integers(0, 500), d=st.integers(2, 8))
@settings(max_examples=25)
def test_power_iteration_finds_top_eigenpair(seed, d):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    evals = np.linspace(1.0, 3.0, d)  # a clear gap: convergence ratio 1 - 2/(d-1)/3 at worst
    A = (Q * evals) @ Q.T
    lam, vec = power_iteration(A)
    top = Q[:, -1] * np.sign(Q[np.argmax(np.abs(Q[:, -1])), -1])
    assert_parity(lam, 3.0, reference="constructed eigenvalue", rtol=RTOL)
    assert_parity(vec, top, reference="constructed eigenvector", rtol=RTOL, atol=1e-9)
