"""Clear errors on bad input."""

import numpy as np
import pytest

from phase1_foundations.math_foundations.autograd import Tensor
from phase1_foundations.math_foundations.pca import PCA, power_iteration


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.array([[1.0, np.nan], [2.0, 3.0]]), "NaN"),
        (np.ones(5), "2-D"),
        (np.empty((0, 3)), "empty"),
        (np.ones((1, 3)), "at least 2 samples"),
    ],
)
def test_pca_rejects_bad_input(X, match):
    with pytest.raises(ValueError, match=match):
        PCA().fit(X)


def test_pca_rejects_bad_parameters():
    X = np.random.default_rng(0).standard_normal((10, 3))
    with pytest.raises(ValueError, match="n_components"):
        PCA(4).fit(X)
    with pytest.raises(ValueError, match="solver"):
        PCA(solver="qr").fit(X)


def test_pca_before_fit_raises_not_fitted_like_sklearn():
    from sklearn import decomposition, exceptions

    from phase1_foundations.common.errors import NotFittedError

    X = np.random.default_rng(0).standard_normal((10, 3))
    for method in ("transform", "inverse_transform"):
        with pytest.raises(NotFittedError) as ours:
            getattr(PCA(), method)(X)
        with pytest.raises(exceptions.NotFittedError) as ref:
            getattr(decomposition.PCA(), method)(X)
        assert str(ours.value) == str(ref.value)  # both name the class "PCA"
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


def test_pca_transform_with_another_width_is_rejected():
    X = np.random.default_rng(0).standard_normal((10, 3))
    with pytest.raises(ValueError, match="X has 2 features, but PCA is expecting 3"):
        PCA(2).fit(X).transform(X[:, :2])


def test_power_iteration_needs_square_matrix():
    with pytest.raises(ValueError, match="square"):
        power_iteration(np.ones((2, 3)))


def test_backward_on_non_scalar_needs_explicit_gradient():
    with pytest.raises(ValueError, match="scalar"):
        Tensor([1.0, 2.0], requires_grad=True).exp().backward()


def test_matmul_of_vectors_is_rejected_and_tensor_exponent_too():
    with pytest.raises(ValueError, match="ndim"):
        Tensor([1.0, 2.0]) @ Tensor([1.0, 2.0])
    with pytest.raises(TypeError):
        Tensor([1.0]) ** Tensor([2.0])
