"""Our contrastive loss equals open_clip's ClipLoss (values and gradients), a hand-computed
value and an independent float64 NumPy formulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.generative_vision.contrastive import clip_loss, logit_scale_from
from phase6_tracks.generative_vision.parity import open_clip_loss_module


def _features(n: int, d: int, seed: int, dtype=torch.float64) -> tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(seed)
    image = F.normalize(torch.randn(n, d, generator=g, dtype=dtype), dim=1)
    text = F.normalize(torch.randn(n, d, generator=g, dtype=dtype), dim=1)
    return image.requires_grad_(), text.requires_grad_()


def _numpy_loss(image: np.ndarray, text: np.ndarray, scale: float) -> float:
    """Softmax cross-entropy written out elementwise, in float64."""
    logits = scale * image @ text.T
    total = 0.0
    for rows in (logits, logits.T):
        for i, row in enumerate(rows):
            m = row.max()
            total += m + math.log(np.exp(row - m).sum()) - row[i]
    return total / (2 * len(logits))


def test_hand_computed_values():
    eye = torch.eye(2, dtype=torch.float64)
    # logits = I: each row's cross-entropy is log(1 + e^-1)
    assert_parity(
        clip_loss(eye, eye, torch.tensor(1.0, dtype=torch.float64)),
        math.log(1 + math.exp(-1)),
        reference="hand-computed",
        rtol=1e-15,
        name="identity pairs",
    )
    # swapped texts, scale 2: logits [[0, 2], [2, 0]], each row gives log(1 + e^2)
    assert_parity(
        clip_loss(eye, eye.flip(0), torch.tensor(2.0, dtype=torch.float64)),
        math.log(1 + math.exp(2)),
        reference="hand-computed",
        rtol=1e-15,
        name="swapped pairs",
    )


@pytest.mark.parametrize("n,d,scale", [(1, 4, 1.0), (8, 16, 14.3), (64, 32, 100.0)])
def test_equals_an_independent_numpy_formulation(n, d, scale):
    image, text = _features(n, d, seed=n)
    ours = clip_loss(image, text, torch.tensor(scale, dtype=torch.float64))
    ref = _numpy_loss(image.detach().numpy(), text.detach().numpy(), scale)
    assert_parity(ours, ref, reference="numpy float64", rtol=1e-12, name=f"numpy n={n}")


@pytest.mark.parametrize("n,d,scale", [(2, 4, 1.0), (16, 32, 14.3), (128, 64, 100.0)])
def test_value_and_gradients_equal_open_clip(n, d, scale):
    ref_module = open_clip_loss_module()
    if ref_module is None:
        pytest.skip("open_clip_torch is not installed")
    ref_name = reference_version("open_clip_torch") + " ClipLoss"
    image, text = _features(n, d, seed=n)
    log_scale = torch.tensor(math.log(scale), dtype=torch.float64, requires_grad=True)
    ours = clip_loss(image, text, logit_scale_from(log_scale))
    ours_grads = torch.autograd.grad(ours, (image, text, log_scale))
    ref = ref_module.ClipLoss()(image, text, logit_scale_from(log_scale))
    ref_grads = torch.autograd.grad(ref, (image, text, log_scale))
    # float64, the same formula up to how log-softmax is evaluated: 1e-12 relative.
    assert_parity(ours, ref, reference=ref_name, rtol=1e-12, name=f"loss n={n}")
    for name, a, b in zip(("d image", "d text", "d log_scale"), ours_grads, ref_grads, strict=True):
        assert_parity(a, b, reference=ref_name, rtol=1e-10, atol=1e-14, name=f"{name} n={n}")


def test_float32_large_scale_does_not_overflow():
    image, text = _features(32, 16, seed=0, dtype=torch.float32)
    loss = clip_loss(image, text, torch.tensor(100.0))
    ref = _numpy_loss(image.detach().double().numpy(), text.detach().double().numpy(), 100.0)
    # float32 features, logits up to 100: 1e-5 relative.
    assert_parity(loss, ref, reference="numpy float64", rtol=1e-5, name="float32 scale 100")


def test_logit_scale_is_clamped_at_100():
    assert float(logit_scale_from(torch.tensor(10.0))) == 100.0
    assert float(logit_scale_from(torch.tensor(math.log(1 / 0.07)))) == pytest.approx(1 / 0.07)
