"""The minimal version against diffusers / open_clip and against the full version."""

from __future__ import annotations

from typing import Any

import pytest
import torch
import torch.nn.functional as F

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.generative_vision import minimal
from phase6_tracks.generative_vision.contrastive import clip_loss
from phase6_tracks.generative_vision.parity import open_clip_loss_module
from phase6_tracks.generative_vision.samplers import DDPMSampler
from phase6_tracks.generative_vision.schedules import ScheduleConfig, add_noise

diffusers = pytest.importorskip("diffusers")
REF = reference_version("diffusers")
# float32, the same operations in the same order as diffusers: a few ulps.
RTOL, ATOL = 1e-6, 1e-6


def _tensors(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(6, 1, 8, 8, generator=g), torch.randn(6, 1, 8, 8, generator=g)


def test_linear_betas_equal_diffusers():
    ref: Any = diffusers.DDPMScheduler()
    assert_parity(minimal.linear_betas(1000), ref.betas, reference=REF, exact=True, name="betas")


def test_add_noise_equals_diffusers_and_full():
    x0, noise = _tensors(0)
    t = torch.tensor([0, 1, 250, 500, 998, 999])
    ours = minimal.add_noise(minimal.linear_betas(1000), x0, noise, t)
    ref: Any = diffusers.DDPMScheduler()
    assert_parity(
        ours, ref.add_noise(x0, noise, t), reference=REF, rtol=RTOL, atol=ATOL, name="add_noise"
    )
    full = add_noise(DDPMSampler().alphas_cumprod, x0, noise, t)
    assert_parity(ours, full, reference="full version", rtol=RTOL, atol=ATOL, name="vs full")


@pytest.mark.parametrize("t", [999, 500, 1, 0])
def test_ddpm_step_equals_diffusers_and_full(t):
    x_t, eps = _tensors(t)
    x_t = 2 * x_t  # |x0| > 1 at some pixels, so clipping takes effect
    ours = minimal.ddpm_step(
        minimal.linear_betas(1000), eps, t, x_t, torch.Generator().manual_seed(7)
    )
    ref: Any = diffusers.DDPMScheduler()
    expected = ref.step(eps, t, x_t, generator=torch.Generator().manual_seed(7)).prev_sample
    assert_parity(ours, expected, reference=REF, rtol=RTOL, atol=ATOL, name=f"ddpm step t={t}")
    full = DDPMSampler(ScheduleConfig()).step(eps, t, x_t, torch.Generator().manual_seed(7))
    assert_parity(
        ours, full.prev_sample, reference="full version", rtol=RTOL, atol=ATOL, name="vs full"
    )


@pytest.mark.parametrize("n", [1, 5, 64])
def test_clip_loss_equals_open_clip_and_full(n):
    g = torch.Generator().manual_seed(n)
    image = F.normalize(torch.randn(n, 16, generator=g, dtype=torch.float64), dim=1)
    text = F.normalize(torch.randn(n, 16, generator=g, dtype=torch.float64), dim=1)
    image.requires_grad_()
    scale = torch.tensor(1 / 0.07, dtype=torch.float64)
    ours = minimal.clip_loss(image, text, scale)
    (ours_grad,) = torch.autograd.grad(ours, image)
    full = clip_loss(image, text, scale)
    assert_parity(ours, full, reference="full version", rtol=1e-12, name=f"loss vs full n={n}")
    # Hand check for n=1: one pair, softmax over one logit, so the loss is exactly 0.
    if n == 1:
        assert_parity(ours, 0.0, reference="hand-computed", atol=1e-15, name="one pair")
    module = open_clip_loss_module()
    if module is None:
        pytest.skip("open_clip_torch is not installed")
    ref = module.ClipLoss()(image, text, scale)
    (ref_grad,) = torch.autograd.grad(ref, image)
    name = reference_version("open_clip_torch") + " ClipLoss"
    # float64: 1e-12 relative for the value, 1e-10 for gradients (summed in another order).
    assert_parity(ours, ref, reference=name, rtol=1e-12, name=f"loss n={n}")
    assert_parity(ours_grad, ref_grad, reference=name, rtol=1e-10, atol=1e-14, name="gradient")
