"""Noise schedules of DDPM/DDIM: betas, cumulative alphas, inference timesteps, forward noising.

The forward process is q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I) with
abar_t = prod_{s <= t} (1 - beta_s). Three beta schedules: `linear` (Ho et al. 2020),
`scaled_linear` (linear in sqrt(beta), latent diffusion) and `squaredcos_cap_v2` (the cosine
schedule of Nichol & Dhariwal 2021, each beta capped at 0.999). Betas are float32 like the
diffusers schedulers, so both sides round the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import torch

BETA_SCHEDULES = ("linear", "scaled_linear", "squaredcos_cap_v2")
PREDICTION_TYPES = ("epsilon", "sample", "v_prediction")
SPACINGS = ("leading", "trailing", "linspace")
VARIANCE_TYPES = ("fixed_small", "fixed_large")
# diffusers config fields that must hold these values here: anything else is refused.
UNSUPPORTED_DEFAULTS: dict[str, Any] = {
    "trained_betas": None,
    "thresholding": False,
    "rescale_betas_zero_snr": False,
}
IGNORED = {
    "_class_name",
    "_diffusers_version",
    "_use_default_values",
    "dynamic_thresholding_ratio",
    "sample_max_value",
}


@dataclass(frozen=True)
class ScheduleConfig:
    """The scheduler settings this module implements (a subset of diffusers' config)."""

    num_train_timesteps: int = 1000
    beta_start: float = 0.0001
    beta_end: float = 0.02
    beta_schedule: str = "linear"
    prediction_type: str = "epsilon"
    clip_sample: bool = True
    clip_sample_range: float = 1.0
    timestep_spacing: str = "leading"
    steps_offset: int = 0
    variance_type: str = "fixed_small"  # DDPM only
    set_alpha_to_one: bool = True  # DDIM only: abar before step 0 is 1 (else abar_0)

    def __post_init__(self) -> None:
        for name, allowed in (
            ("beta_schedule", BETA_SCHEDULES),
            ("prediction_type", PREDICTION_TYPES),
            ("timestep_spacing", SPACINGS),
            ("variance_type", VARIANCE_TYPES),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(
                    f"{name}={getattr(self, name)!r} is not implemented; use {allowed}"
                )

    @classmethod
    def from_dict(cls, config: dict[str, Any]) -> ScheduleConfig:
        """Build from a diffusers scheduler config; refuse any field or value not implemented."""
        known = {f.name for f in fields(cls)}
        kwargs = {}
        for key, value in config.items():
            if key in known:
                kwargs[key] = value
            elif key in UNSUPPORTED_DEFAULTS:
                if value != UNSUPPORTED_DEFAULTS[key]:
                    raise ValueError(f"{key}={value!r} is not implemented")
            elif key not in IGNORED:
                raise ValueError(f"unknown scheduler config field {key!r}")
        return cls(**kwargs)


def make_betas(config: ScheduleConfig) -> torch.Tensor:
    """float32 betas of length `num_train_timesteps` for the configured schedule."""
    n = config.num_train_timesteps
    if config.beta_schedule == "linear":
        return torch.linspace(config.beta_start, config.beta_end, n, dtype=torch.float32)
    if config.beta_schedule == "scaled_linear":
        start, end = config.beta_start**0.5, config.beta_end**0.5
        return torch.linspace(start, end, n, dtype=torch.float32) ** 2
    return cosine_betas(n)


def cosine_betas(n: int, max_beta: float = 0.999) -> torch.Tensor:
    """beta_i = 1 - abar((i+1)/n) / abar(i/n), abar(t) = cos((t + s)/(1 + s) * pi/2)^2, s=0.008.

    Computed in float64, capped at `max_beta` (the last steps would reach 1), then float32.
    """

    def abar(t: float) -> float:
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    betas = [min(1 - abar((i + 1) / n) / abar(i / n), max_beta) for i in range(n)]
    return torch.tensor(betas, dtype=torch.float32)


def alphas_cumprod(betas: torch.Tensor) -> torch.Tensor:
    """abar_t = prod_{s <= t} (1 - beta_s), same dtype as `betas`."""
    return torch.cumprod(1.0 - betas, dim=0)


def inference_timesteps(config: ScheduleConfig, n_steps: int) -> np.ndarray:
    """The descending int64 timesteps visited when sampling in `n_steps` steps.

    leading: 0, r, 2r, ... (r = T // n) plus `steps_offset`; trailing: T-1 down by T/n;
    linspace: n points from 0 to T-1, rounded (Lin et al. 2023, table 2).
    """
    total = config.num_train_timesteps
    if not 0 < n_steps <= total:
        raise ValueError(f"n_steps must be in 1..{total}, got {n_steps}")
    if config.timestep_spacing == "linspace":
        return np.linspace(0, total - 1, n_steps).round()[::-1].copy().astype(np.int64)
    if config.timestep_spacing == "leading":
        ratio = total // n_steps
        steps = (np.arange(0, n_steps) * ratio).round()[::-1].copy().astype(np.int64)
        return steps + config.steps_offset
    steps = np.round(np.arange(total, 0, -total / n_steps)).astype(np.int64)
    return steps - 1


def add_noise(
    abar: torch.Tensor, x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor
) -> torch.Tensor:
    """x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) noise, one timestep per batch row."""
    a = _per_row(abar.to(x0.dtype)[t], x0)  # (B, 1, ..., 1)
    return a**0.5 * x0 + (1 - a) ** 0.5 * noise


def velocity(
    abar: torch.Tensor, x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor
) -> torch.Tensor:
    """The v-prediction target v_t = sqrt(abar_t) noise - sqrt(1 - abar_t) x_0."""
    a = _per_row(abar.to(x0.dtype)[t], x0)
    return a**0.5 * noise - (1 - a) ** 0.5 * x0


def _per_row(values: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """(B,) -> (B, 1, ..., 1) so it broadcasts over the rest of `like`."""
    return values.flatten().reshape(-1, *([1] * (like.dim() - 1)))
