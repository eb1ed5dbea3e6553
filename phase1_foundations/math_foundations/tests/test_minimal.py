"""The minimal version against torch / scikit-learn and against the full version."""

from __future__ import annotations

import numpy as np
import torch
from sklearn import decomposition

from phase0_env.common.parity import assert_parity
from phase1_foundations.math_foundations import minimal
from phase1_foundations.math_foundations.autograd import tensor
from phase1_foundations.math_foundations.optimizers import Adam
from phase1_foundations.math_foundations.pca import PCA

INPUTS = [0.7, -1.3, 0.4]


def _expression(a, b, c, tanh):
    """(a*b + c) * tanh(a + c*c) + a: each input used twice, so gradients accumulate."""
    return (a * b + c) * tanh(a + c * c) + a


def test_value_backward_equals_torch_autograd_and_the_full_engine():
    ours = [minimal.Value(x) for x in INPUTS]
    out = _expression(*ours, tanh=lambda v: v.tanh())
    out.backward()
    ref = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in INPUTS]
    ref_out = _expression(*ref, tanh=torch.tanh)
    ref_out.backward()
    full = [tensor(x, requires_grad=True) for x in INPUTS]
    full_out = _expression(*full, tanh=lambda t: t.tanh())
    full_out.backward()
    assert all(t.grad.shape == () for t in full)  # a 0-d leaf gets a 0-d gradient, as in torch
    # float64 throughout, the same operations in the same order: a few ulps at most.
    assert_parity(out.data, ref_out.item(), reference="torch autograd", rtol=1e-12, name="value")
    assert_parity(
        [v.grad for v in ours],
        [float(t.grad) for t in ref],
        reference="torch autograd",
        rtol=1e-12,
        name="gradients vs torch",
    )
    assert_parity(
        [v.grad for v in ours],
        [float(t.grad) for t in full],
        reference="full version autograd",
        rtol=1e-12,
        name="gradients vs full",
    )


def test_adam_steps_equal_torch_optim_and_the_full_optimizer():
    rng = np.random.default_rng(0)
    start, target = rng.normal(size=5), rng.normal(size=5)
    param, m, v = start.copy(), np.zeros(5), np.zeros(5)
    ref = torch.tensor(start, requires_grad=True)
    ref_opt = torch.optim.Adam([ref], lr=0.05)
    full = tensor(start, requires_grad=True)
    full_opt = Adam([full], lr=0.05)
    for t in range(1, 21):  # loss = sum((p - target)^2), gradient 2 (p - target)
        param, m, v = minimal.adam_step(param, 2 * (param - target), m, v, t, lr=0.05)
        ref_opt.zero_grad()
        ((ref - torch.tensor(target)) ** 2).sum().backward()
        ref_opt.step()
        full_opt.zero_grad()
        ((full - target) ** 2).sum().backward()
        full_opt.step()
    # torch folds the bias corrections into other float operations: ulps apart per step.
    assert_parity(param, ref.detach(), reference="torch.optim.Adam", rtol=1e-10, name="adam")
    assert_parity(param, full.data, reference="full version Adam", rtol=1e-10, name="adam full")


def test_pca_equals_sklearn_and_the_full_version():
    X = np.random.default_rng(1).normal(size=(40, 6)) @ np.diag([5, 3, 2, 1, 0.5, 0.1])
    components, variance = minimal.pca(X, 3)
    ref = decomposition.PCA(3, svd_solver="full").fit(X)
    full = PCA(3).fit(X)
    # The same LAPACK SVD on the same centred data; rounding in the centring only.
    assert_parity(
        components,
        ref.components_,
        reference="scikit-learn PCA",
        rtol=1e-9,
        atol=1e-12,
        name="pca components",
    )
    assert_parity(
        variance,
        ref.explained_variance_,
        reference="scikit-learn PCA",
        rtol=1e-9,
        name="pca variance",
    )
    assert_parity(
        components,
        full.components_,
        reference="full version PCA",
        rtol=1e-12,
        atol=1e-14,
        name="pca vs full",
    )
