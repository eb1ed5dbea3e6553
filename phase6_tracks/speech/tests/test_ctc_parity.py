"""Our CTC loss against torch.nn.functional.ctc_loss: values, gradients, edge cases."""

from __future__ import annotations

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.speech.ctc import ctc_loss

REF = reference_version("torch") + " ctc_loss"
F = torch.nn.functional


def case(seed: int, T: int = 30, N: int = 4, C: int = 6, blank_bias: float = 0.0):
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(T, N, C, generator=gen, dtype=torch.float64)
    logits[..., 0] += blank_bias
    targets = torch.tensor([[1, 1, 2, 2, 3], [4, 4, 4, 4, 0], [1, 2, 3, 4, 5], [5, 0, 0, 0, 0]])
    return logits, targets, torch.tensor([T, T - 4, 15, 3]), torch.tensor([5, 4, 5, 1])


def both(fn_args, reduction="mean", zero_infinity=False):
    logits, targets, il, tl = fn_args
    out = []
    for fn in (ctc_loss, F.ctc_loss):
        x = logits.clone().requires_grad_()
        loss = fn(
            x.log_softmax(-1), targets, il, tl, reduction=reduction, zero_infinity=zero_infinity
        )
        (g,) = torch.autograd.grad(loss.sum(), x)
        out.append((loss.detach(), g))
    return out


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("blank_bias", [0.0, 4.0], ids=["uniform", "blank-heavy"])
def test_loss_and_gradient_equal_torch(reduction, blank_bias):
    (l_ours, g_ours), (l_ref, g_ref) = both(case(1, blank_bias=blank_bias), reduction)
    # float64 forward-backward in both; only summation order differs
    assert_parity(l_ours, l_ref, reference=REF, rtol=1e-10, name=f"ctc loss {reduction}")
    assert_parity(g_ours, g_ref, reference=REF, rtol=1e-8, atol=1e-12, name=f"ctc grad {reduction}")


def test_raw_gradient_differs_from_torch_by_the_softmax_term():
    """torch's kernel returns exp(lp) - occupancy; ours the exact d loss / d lp = -occupancy."""
    logits, targets, il, tl = case(2)
    lp = logits.log_softmax(-1)
    grads = []
    for fn in (ctc_loss, F.ctc_loss):
        x = lp.clone().requires_grad_()
        (g,) = torch.autograd.grad(fn(x, targets, il, tl, reduction="sum"), x)
        grads.append(g)
    used = (torch.arange(lp.shape[0])[:, None] < il[None, :])[..., None]
    assert_parity(
        grads[0] + lp.exp() * used,
        grads[1],
        reference=REF,
        rtol=1e-8,
        atol=1e-12,
        name="raw ctc grad + softmax term",
    )


def test_gradient_is_exact_by_finite_differences():
    logits = case(3, T=8, N=2, C=4)[0]
    lp = logits.log_softmax(-1)[:, :2].clone().requires_grad_()
    t, tl2 = torch.tensor([[1, 1], [2, 3]]), torch.tensor([2, 2])
    assert torch.autograd.gradcheck(lambda x: ctc_loss(x, t, [8, 6], tl2, reduction="sum"), (lp,))


def test_impossible_alignment_is_inf_or_zeroed_like_torch():
    logits, targets, _, tl = case(4)
    il = torch.tensor([30, 26, 15, 3])
    il[0] = 6  # "1 1 2 2 3" needs 5 labels + 2 blanks between repeats = 7 frames
    for zero_infinity in (False, True):
        (l_ours, g_ours), (l_ref, g_ref) = both((logits, targets, il, tl), "none", zero_infinity)
        assert bool(torch.isinf(l_ours[0])) is not zero_infinity  # inf, or zeroed
        assert_parity(l_ours, l_ref, reference=REF, rtol=1e-10, name="ctc impossible loss")
        if zero_infinity:
            assert_parity(
                g_ours, g_ref, reference=REF, rtol=1e-8, atol=1e-12, name="ctc zeroed grad"
            )


def test_concatenated_targets_and_float32():
    logits, targets, il, tl = case(5)
    flat = torch.cat([targets[n, : tl[n]] for n in range(4)])
    lp = logits.float().log_softmax(-1)
    ours = ctc_loss(lp, flat, il, tl, reduction="none")
    ref = F.ctc_loss(lp, flat, il, tl, reduction="none")
    # float32 recursions over 30 frames: relative rounding 1e-6 per step, summed
    assert_parity(ours, ref, reference=REF, rtol=1e-5, name="ctc float32 concatenated")


def test_empty_target_is_the_all_blank_path():
    lp = torch.randn(10, 1, 5, dtype=torch.float64).log_softmax(-1)
    ours = ctc_loss(lp, torch.zeros(1, 0, dtype=torch.long), [10], [0], reduction="none")
    assert_parity(
        ours, -lp[:, 0, 0].sum()[None], reference="all-blank path", rtol=1e-12, name="ctc empty"
    )
    ref = F.ctc_loss(lp, torch.zeros(1, 0, dtype=torch.long), [10], [0], reduction="none")
    assert_parity(ours, ref, reference=REF, rtol=1e-10, name="ctc empty vs torch")
