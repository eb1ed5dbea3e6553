"""Benchmark: our DDPM/DDIM step and add_noise vs diffusers', our contrastive loss vs open_clip's.

Same tensors, same process, three sizes each; the quality column is the largest absolute
difference between the two outputs (0 means bit-identical). A scheduler step is a handful of
elementwise tensor ops, so both sides are bound by the same memory traffic; the ratio shows
the Python overhead around it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import torch
import torch.nn.functional as F

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .contrastive import clip_loss
from .parity import open_clip_loss_module
from .samplers import DDIMSampler, DDPMSampler
from .schedules import ScheduleConfig, add_noise

# (batch, channels, side): an 8x8 digits batch, CIFAR-sized, latent-diffusion-sized
SHAPES = {1: (64, 1, 8, 8), 2: (64, 3, 32, 32), 3: (16, 4, 64, 64)}


def run(quick: bool = False) -> list[BenchRow]:
    """One row per case and size; ratio below 1 means ours is faster."""
    torch.set_num_threads(1)
    return [*_scheduler_rows(quick), *_loss_rows(quick)]


def _scheduler_rows(quick: bool) -> list[BenchRow]:
    ref_name = reference_version("diffusers")
    rows = []
    for size in sizes(quick, full=(1, 2, 3), small=(1, 2, 3)):
        shape = SHAPES[size]
        g = torch.Generator().manual_seed(size)
        x, eps = torch.randn(shape, generator=g), torch.randn(shape, generator=g)
        t = torch.randint(0, 1000, (shape[0],), generator=g)
        label = "x".join(map(str, shape))
        cases = _step_cases(x, eps, t)
        for case, (ours, ref) in cases.items():
            diff = float((ours() - ref()).abs().max())
            rows.append(
                compare(
                    case,
                    label,
                    ours,
                    ref,
                    reference=ref_name,
                    repeats=5 if quick else 20,
                    quality={"max_abs_diff": diff},
                )
            )
    return rows


def _step_cases(x: torch.Tensor, eps: torch.Tensor, t: torch.Tensor) -> dict[str, Any]:
    """Case name -> (ours, reference) zero-argument callables on the same tensors."""
    from diffusers import DDIMScheduler, DDPMScheduler

    ddpm_ref: Any = DDPMScheduler()
    ddpm = DDPMSampler(ScheduleConfig())
    ddim_ref: Any = DDIMScheduler()
    ddim = DDIMSampler(ScheduleConfig())
    ddim_ref.set_timesteps(50)
    ddim.set_timesteps(50)

    def ddpm_ours() -> torch.Tensor:
        return ddpm.step(eps, 500, x, torch.Generator().manual_seed(0)).prev_sample

    def ddpm_theirs() -> torch.Tensor:
        return ddpm_ref.step(eps, 500, x, generator=torch.Generator().manual_seed(0)).prev_sample

    return {
        "add_noise": (
            partial(add_noise, ddpm.alphas_cumprod, x, eps, t),
            partial(ddpm_ref.add_noise, x, eps, t),
        ),
        "DDPM step (t=500, seeded noise)": (ddpm_ours, ddpm_theirs),
        "DDIM step (50 steps, eta=0)": (
            lambda: ddim.step(eps, 500, x).prev_sample,
            lambda: ddim_ref.step(eps, 500, x).prev_sample,
        ),
    }


def _loss_rows(quick: bool) -> list[BenchRow]:
    module = open_clip_loss_module()
    if module is None:
        return []
    ref_name = reference_version("open_clip_torch") + " ClipLoss"
    ref_loss = module.ClipLoss()
    rows = []
    for n in sizes(quick, full=(128, 512, 2048), small=(64, 256, 1024)):
        g = torch.Generator().manual_seed(n)
        image = F.normalize(torch.randn(n, 256, generator=g), dim=1).requires_grad_()
        text = F.normalize(torch.randn(n, 256, generator=g), dim=1).requires_grad_()
        scale = torch.tensor(1 / 0.07)

        def ours(image=image, text=text, scale=scale) -> torch.Tensor:
            loss = clip_loss(image, text, scale)
            loss.backward()
            return loss.detach()

        def ref(image=image, text=text, scale=scale) -> torch.Tensor:
            loss = ref_loss(image, text, scale)
            loss.backward()
            return loss.detach()

        rows.append(
            compare(
                "contrastive loss forward+backward (D=256)",
                n,
                ours,
                ref,
                reference=ref_name,
                repeats=5 if quick else 10,
                quality={"abs_diff": float((ours() - ref()).abs())},
            )
        )
    return rows
