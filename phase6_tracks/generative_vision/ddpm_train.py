"""Train the tiny U-Net as a DDPM on the 8x8 digits, sample it with our samplers, judge samples.

Training (Ho et al. 2020, algorithm 1): draw x_0 and its class, t uniform, noise; regress the
noise in add_noise(x_0, noise, t) with mean squared error. Sampling runs our DDPM or DDIM
reverse step from pure noise. An exponential moving average of the weights (decay 0.995) is
what samples, as in Ho et al.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

import torch

from .digits import Digits
from .samplers import DDIMSampler, DDPMSampler
from .schedules import ScheduleConfig, add_noise
from .unet import TinyUNet


@dataclass(frozen=True)
class DDPMTrainConfig:
    """What one training run uses."""

    steps: int = 1500
    batch_size: int = 128
    lr: float = 2e-3
    width: int = 32
    ema_decay: float = 0.995
    seed: int = 0
    schedule: ScheduleConfig = field(
        default_factory=lambda: ScheduleConfig(beta_schedule="squaredcos_cap_v2")
    )


@dataclass
class DDPMRun:
    """A trained model (its EMA weights), the loss curve, wall and CPU seconds."""

    model: TinyUNet
    losses: list[float]
    seconds: float
    config: DDPMTrainConfig
    cpu_seconds: float = 0.0


def train_ddpm(data: Digits, config: DDPMTrainConfig) -> DDPMRun:
    """Fit eps_theta on the training digits for `config.steps` Adam steps (cosine LR decay)."""
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    model = TinyUNet(config.width)
    ema = copy.deepcopy(model).requires_grad_(False)
    abar = DDPMSampler(config.schedule).alphas_cumprod
    total = config.schedule.num_train_timesteps
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, config.steps)
    x_all, y_all = data.x_train, data.y_train
    losses, start, cpu = [], time.perf_counter(), time.process_time()
    for _ in range(config.steps):
        idx = torch.randint(0, len(y_all), (config.batch_size,), generator=gen)
        x0, label = x_all[idx], y_all[idx]
        t = torch.randint(0, total, (len(idx),), generator=gen)
        noise = torch.randn(x0.shape, generator=gen)
        loss = torch.nn.functional.mse_loss(model(add_noise(abar, x0, noise, t), t, label), noise)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        with torch.no_grad():  # EMA: the sampling weights trail the trained ones smoothly
            for e, p in zip(ema.parameters(), model.parameters(), strict=True):
                e.lerp_(p, 1 - config.ema_decay)
        losses.append(float(loss.detach()))
    wall = time.perf_counter() - start
    return DDPMRun(ema.eval(), losses, wall, config, time.process_time() - cpu)


@torch.no_grad()
def sample(
    run: DDPMRun, labels: torch.Tensor, n_steps: int, method: str = "ddpm", seed: int = 0
) -> torch.Tensor:
    """Images (N, 1, 8, 8) for the given classes, by `method` ('ddpm' or 'ddim', eta=0)."""
    gen = torch.Generator().manual_seed(seed)
    sampler = (DDPMSampler if method == "ddpm" else DDIMSampler)(run.config.schedule)
    sampler.set_timesteps(n_steps)
    x = torch.randn(len(labels), 1, 8, 8, generator=gen)
    for t in sampler.timesteps.tolist():
        eps = run.model(x, torch.full((len(labels),), t), labels)
        x = sampler.step(eps, t, x, generator=gen).prev_sample
    return x.clamp(-1, 1)
