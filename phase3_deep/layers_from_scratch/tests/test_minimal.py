"""The minimal hand-written backward passes (`minimal.py`) against torch autograd and the full
`torch.autograd.Function`s of this milestone, in float64."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.layers_from_scratch import functional as scratch
from phase3_deep.layers_from_scratch import minimal

TORCH = reference_version("torch")
FULL = "the full phase3_deep.layers_from_scratch"
TOL = dict(rtol=1e-10, atol=1e-12)  # float64, a few sums each: rounding only


def _leaves(*shapes, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(*s, dtype=torch.float64, generator=gen, requires_grad=True) for s in shapes]


def _grads_of(loss, leaves):
    return torch.autograd.grad(loss, leaves)


@pytest.mark.parametrize("impl", ["torch", "full"])
def test_linear_backward(impl):
    x, w, b = _leaves((5, 4), (3, 4), (3,))
    g = torch.randn(5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    fn = torch.nn.functional.linear if impl == "torch" else scratch.linear
    expected = _grads_of((fn(x, w, b) * g).sum(), [x, w, b])
    got = minimal.linear_backward(g, x.detach(), w.detach())
    for name, a, e in zip(("x", "w", "b"), got, expected, strict=True):
        assert_parity(
            a, e, reference=TORCH if impl == "torch" else FULL, **TOL, name=f"linear d{name}"
        )


@pytest.mark.parametrize("impl", ["torch", "full"])
def test_cross_entropy_value_and_gradient(impl):
    (logits,) = _leaves((6, 5), seed=2)
    target = torch.tensor([0, 4, 2, 2, 1, 3])
    fn = torch.nn.functional.cross_entropy if impl == "torch" else scratch.cross_entropy
    ref = fn(logits, target)
    (ref_grad,) = _grads_of(ref, [logits])
    loss, grad = minimal.cross_entropy_forward_backward(logits.detach() * 1.0, target)
    reference = TORCH if impl == "torch" else FULL
    assert_parity(loss, ref.detach(), reference=reference, **TOL, name="cross-entropy loss")
    assert_parity(grad, ref_grad, reference=reference, **TOL, name="cross-entropy dlogits")


@pytest.mark.parametrize("impl", ["torch", "full"])
def test_layer_norm_forward_and_backward(impl):
    x, gamma, beta = _leaves((4, 7), (7,), (7,), seed=3)
    g = torch.randn(4, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    fn = torch.nn.functional.layer_norm if impl == "torch" else scratch.layer_norm
    ref = fn(x, (7,), gamma, beta, 1e-5)
    expected = _grads_of((ref * g).sum(), [x, gamma, beta])
    y, (x_hat, invstd) = minimal.layer_norm_forward(x.detach(), gamma.detach(), beta.detach())
    got = minimal.layer_norm_backward(g, x_hat, invstd, gamma.detach())
    reference = TORCH if impl == "torch" else FULL
    assert_parity(y, ref.detach(), reference=reference, **TOL, name="layer norm y")
    for name, a, e in zip(("x", "gamma", "beta"), got, expected, strict=True):
        assert_parity(a, e, reference=reference, **TOL, name=f"layer norm d{name}")


def test_two_layer_classifier_gradients_equal_autograd():
    x, w1, b1, w2, b2 = _leaves((8, 6), (10, 6), (10,), (3, 10), (3,), seed=5)
    target = torch.tensor([0, 1, 2, 0, 1, 2, 2, 1])
    h = torch.relu(torch.nn.functional.linear(x, w1, b1))
    ref = torch.nn.functional.cross_entropy(torch.nn.functional.linear(h, w2, b2), target)
    expected = dict(zip(("w1", "b1", "w2", "b2"), _grads_of(ref, [w1, b1, w2, b2]), strict=True))
    params = {"w1": w1, "b1": b1, "w2": w2, "b2": b2}
    loss, grads = minimal.mlp_loss_and_grads(
        x.detach(), target, {k: v.detach() for k, v in params.items()}
    )
    assert_parity(loss, ref.detach(), reference=TORCH, **TOL, name="mlp loss")
    for k, e in expected.items():
        assert_parity(grads[k], e, reference=TORCH, **TOL, name=f"mlp d{k}")
