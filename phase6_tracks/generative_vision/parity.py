"""Parity checks: schedules and reverse steps vs diffusers, the contrastive loss vs open_clip.

open_clip's package imports torchvision at import time, and torchvision does not import beside
this torch, so its `loss.py` (which needs torch alone) is loaded from the installed file.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType
from typing import Any

import torch
import torch.nn.functional as F

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .contrastive import clip_loss
from .samplers import DDIMSampler, DDPMSampler
from .schedules import ScheduleConfig, add_noise

# float32 arithmetic in the same order as diffusers: equal to a few ulps.
RTOL, ATOL = 1e-6, 1e-6


def checks() -> list[ParityResult]:
    """Every check, on seeded tensors, in a few seconds."""
    return [*_schedule_checks(), *_step_checks(), *_loss_checks()]


def open_clip_loss_module() -> ModuleType | None:
    """open_clip's `loss.py` as a module (None when open_clip_torch is not installed)."""
    spec = importlib.util.find_spec("open_clip")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "loss.py"
    loss_spec = importlib.util.spec_from_file_location("open_clip_loss", path)
    assert loss_spec is not None and loss_spec.loader is not None
    module = importlib.util.module_from_spec(loss_spec)
    loss_spec.loader.exec_module(module)
    return module


def _schedule_checks() -> list[ParityResult]:
    from diffusers import DDPMScheduler

    ref_name = reference_version("diffusers")
    g = torch.Generator().manual_seed(0)
    x0, noise = torch.randn(8, 1, 8, 8, generator=g), torch.randn(8, 1, 8, 8, generator=g)
    t = torch.randint(0, 1000, (8,), generator=g)
    out = []
    for schedule in ("linear", "scaled_linear", "squaredcos_cap_v2"):
        ref: Any = DDPMScheduler(beta_schedule=schedule)
        ours = DDPMSampler(ScheduleConfig(beta_schedule=schedule))
        out += [
            compare(f"{schedule} betas", ours.betas, ref.betas, reference=ref_name, exact=True),
            compare(
                f"{schedule} alphas_cumprod",
                ours.alphas_cumprod,
                ref.alphas_cumprod,
                reference=ref_name,
                exact=True,
            ),
            compare(
                f"{schedule} add_noise",
                add_noise(ours.alphas_cumprod, x0, noise, t),
                ref.add_noise(x0, noise, t),
                reference=ref_name,
                rtol=RTOL,
                atol=ATOL,
            ),
            compare(
                f"{schedule} posterior variance, every t",
                torch.stack([ours.variance(s) for s in range(1000)]),
                torch.stack([ref._get_variance(s) for s in range(1000)]),
                reference=ref_name,
                rtol=RTOL,
            ),
        ]
    return out


def _step_checks() -> list[ParityResult]:
    from diffusers import DDIMScheduler, DDPMScheduler

    ref_name = reference_version("diffusers")
    g = torch.Generator().manual_seed(1)
    sample, output = torch.randn(4, 1, 8, 8, generator=g), torch.randn(4, 1, 8, 8, generator=g)
    out = []
    for prediction in ("epsilon", "v_prediction"):
        for clip in (True, False):
            kw: dict[str, Any] = {"prediction_type": prediction, "clip_sample": clip}
            ddpm_ref: Any = DDPMScheduler(**kw)
            ddpm = DDPMSampler(ScheduleConfig(**kw))
            ours_x = [ddpm.step(output, t, sample, _gen(t)).prev_sample for t in (999, 500, 0)]
            ref_x = [
                ddpm_ref.step(output, t, sample, generator=_gen(t)).prev_sample
                for t in (999, 500, 0)
            ]
            out.append(
                compare(
                    f"DDPM step ({prediction}, clip={clip}), t=999/500/0, seeded noise",
                    torch.stack(ours_x),
                    torch.stack(ref_x),
                    reference=ref_name,
                    rtol=RTOL,
                    atol=ATOL,
                )
            )
            for eta in (0.0, 1.0):
                ddim_ref: Any = DDIMScheduler(**kw)
                ddim = DDIMSampler(ScheduleConfig(**kw))
                ddim_ref.set_timesteps(50)
                ddim.set_timesteps(50)
                ts = (980, 500, 0)
                ours_x = [ddim.step(output, t, sample, eta, _gen(t)).prev_sample for t in ts]
                ref_x = [
                    ddim_ref.step(output, t, sample, eta=eta, generator=_gen(t)).prev_sample
                    for t in ts
                ]
                out.append(
                    compare(
                        f"DDIM step ({prediction}, clip={clip}, eta={eta}), 50 steps",
                        torch.stack(ours_x),
                        torch.stack(ref_x),
                        reference=ref_name,
                        rtol=RTOL,
                        atol=ATOL,
                    )
                )
    return out


def _gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _loss_checks() -> list[ParityResult]:
    module = open_clip_loss_module()
    if module is None:
        return [behaviour("open_clip_torch installed (ClipLoss reference)", False, "not found")]
    ref_name = reference_version("open_clip_torch") + " ClipLoss"
    g = torch.Generator().manual_seed(2)
    out = []
    for n in (8, 128):
        image = F.normalize(torch.randn(n, 32, generator=g, dtype=torch.float64), dim=1)
        text = F.normalize(torch.randn(n, 32, generator=g, dtype=torch.float64), dim=1)
        image.requires_grad_()
        text.requires_grad_()
        scale = torch.tensor(math.log(1 / 0.07), dtype=torch.float64).exp()
        ours = clip_loss(image, text, scale)
        ours_grad = torch.autograd.grad(ours, (image, text))
        ref = module.ClipLoss()(image, text, scale)
        ref_grad = torch.autograd.grad(ref, (image, text))
        out += [
            compare(f"contrastive loss, N={n}, float64", ours, ref, reference=ref_name, rtol=1e-12),
            compare(
                f"contrastive loss gradients (image, text), N={n}",
                torch.cat([ours_grad[0], ours_grad[1]]),
                torch.cat([ref_grad[0], ref_grad[1]]),
                reference=ref_name,
                rtol=1e-10,
                atol=1e-14,
            ),
        ]
    return out
