"""Our autograd equals torch autograd (float64) on random expression graphs."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.math_foundations.autograd import Tensor
from phase1_foundations.math_foundations.graphs import OPS, leaves, value_and_grads

TORCH = reference_version("torch")
# float64: rtol 1e-7; atol 1e-12 because a gradient that is exactly 0 in one engine can be
# ~1e-17 in the other when sums run in a different order.
RTOL, ATOL = 1e-7, 1e-12

programs = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 1 << 20), st.integers(0, 1 << 20)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60)
@given(program=programs, n=st.integers(1, 4), m=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_random_graph_values_and_gradients_equal_torch(program, n, m, seed):
    arrays = leaves(np.random.default_rng(seed), n, m)
    ours_value, ours_grads = value_and_grads(program, arrays, "ours")
    ref_value, ref_grads = value_and_grads(program, arrays, "torch")
    assert_parity(ours_value, ref_value, reference=TORCH, rtol=RTOL, atol=ATOL, name="value")
    for key in arrays:
        assert_parity(
            ours_grads[key],
            ref_grads[key],
            reference=TORCH,
            rtol=RTOL,
            atol=ATOL,
            name=f"grad of {key}",
        )


@pytest.mark.parametrize(("shape_a", "shape_b"), [((2, 3, 4), (4, 5)), ((1, 3, 4), (2, 4, 2))])
def test_batched_matmul_broadcasts_like_torch(shape_a, shape_b):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    (ta @ tb).exp().sum().backward()
    ra = torch.tensor(a, requires_grad=True)
    rb = torch.tensor(b, requires_grad=True)
    (ra @ rb).exp().sum().backward()
    assert_parity(ta.grad, ra.grad, reference=TORCH, rtol=RTOL, name="d/da")
    assert_parity(tb.grad, rb.grad, reference=TORCH, rtol=RTOL, name="d/db")


def test_reused_node_accumulates_gradient_like_torch():
    x = Tensor([1.5, -0.5], requires_grad=True)
    y = x * x
    (y * y + y).sum().backward()
    rx = torch.tensor([1.5, -0.5], dtype=torch.float64, requires_grad=True)
    ry = rx * rx
    (ry * ry + ry).sum().backward()
    assert_parity(x.grad, rx.grad, reference=TORCH, rtol=RTOL, name="reused node")


def test_relu_gradient_at_zero_is_zero_like_torch():
    x = Tensor([0.0, 1.0, -1.0], requires_grad=True)
    x.relu().sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]


def test_backward_twice_accumulates_into_leaf_grad():
    x = Tensor([2.0], requires_grad=True)
    (x * 3.0).sum().backward()
    (x * 3.0).sum().backward()
    assert x.grad.tolist() == [6.0]
