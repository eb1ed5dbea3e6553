"""The reverse step of DDPM (Ho et al. 2020) and DDIM (Song et al. 2021) on a noise schedule.

Both first recover a prediction of x_0 from the model output (epsilon, x_0 itself, or v),
optionally clip it, then move to the previous timestep:
- DDPM: the posterior mean of q(x_{t-1} | x_t, x_0) (eq. 7) plus noise of the posterior
  variance ("fixed_small") or of beta_t ("fixed_large");
- DDIM: sqrt(abar_prev) x0 + sqrt(1 - abar_prev - sigma^2) eps + sigma z, where
  sigma = eta * sqrt(posterior variance); eta=0 is deterministic, eta=1 is DDPM-like.
Noise is drawn with `torch.randn(shape, generator=...)` so a seeded generator reproduces it.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .schedules import ScheduleConfig, alphas_cumprod, inference_timesteps, make_betas


@dataclass
class StepOutput:
    """One reverse step: the sample at the previous timestep and the predicted x_0."""

    prev_sample: torch.Tensor
    pred_original_sample: torch.Tensor


class _Schedule:
    """Betas, cumulative alphas and the inference timesteps shared by both samplers."""

    def __init__(self, config: ScheduleConfig | None = None) -> None:
        self.config = config or ScheduleConfig()
        self.betas = make_betas(self.config)
        self.alphas_cumprod = alphas_cumprod(self.betas)
        self.timesteps = torch.arange(self.config.num_train_timesteps - 1, -1, -1)
        self.num_inference_steps: int | None = None

    def set_timesteps(self, n_steps: int) -> None:
        """Sample in `n_steps` steps over the configured spacing."""
        self.num_inference_steps = n_steps
        self.timesteps = torch.from_numpy(inference_timesteps(self.config, n_steps))

    def _x0_and_eps(
        self, output: torch.Tensor, sample: torch.Tensor, abar_t: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(predicted x_0, predicted noise) from the model output, before any clipping."""
        kind = self.config.prediction_type
        if kind == "epsilon":
            return (sample - (1 - abar_t) ** 0.5 * output) / abar_t**0.5, output
        if kind == "sample":
            return output, (sample - abar_t**0.5 * output) / (1 - abar_t) ** 0.5
        # v = sqrt(abar) eps - sqrt(1 - abar) x0, so both are linear in (x_t, v).
        return (
            abar_t**0.5 * sample - (1 - abar_t) ** 0.5 * output,
            abar_t**0.5 * output + (1 - abar_t) ** 0.5 * sample,
        )

    def _clip(self, x0: torch.Tensor) -> torch.Tensor:
        if not self.config.clip_sample:
            return x0
        bound = self.config.clip_sample_range
        return x0.clamp(-bound, bound)


class DDPMSampler(_Schedule):
    """Ancestral DDPM sampling over the full chain or a strided subset of timesteps."""

    def previous_timestep(self, t: int) -> int:
        """The timestep after `t` in the sampling order; -1 after the last."""
        if self.num_inference_steps is None:
            return t - 1
        index = int((self.timesteps == t).nonzero()[0, 0])
        return -1 if index == len(self.timesteps) - 1 else int(self.timesteps[index + 1])

    def variance(self, t: int) -> torch.Tensor:
        """Variance of the noise added at `t`: posterior (fixed_small) or beta_t (fixed_large)."""
        abar_t, abar_prev = self._abars(t)
        beta_t = 1 - abar_t / abar_prev  # the step's beta, also when timesteps are strided
        if self.config.variance_type == "fixed_large":
            return beta_t
        # posterior variance (eq. 7); clamped as the log of it is taken in some variants
        return torch.clamp((1 - abar_prev) / (1 - abar_t) * beta_t, min=1e-20)

    def step(
        self,
        output: torch.Tensor,
        t: int,
        sample: torch.Tensor,
        generator: torch.Generator | None = None,
    ) -> StepOutput:
        """x_{t-1} from x_t and the model output at t."""
        abar_t, abar_prev = self._abars(t)
        alpha_t = abar_t / abar_prev
        x0 = self._clip(self._x0_and_eps(output, sample, abar_t)[0])
        # posterior mean: coefficients of x_0 and x_t (Ho et al. eq. 7)
        coef_x0 = abar_prev**0.5 * (1 - alpha_t) / (1 - abar_t)
        coef_xt = alpha_t**0.5 * (1 - abar_prev) / (1 - abar_t)
        prev = coef_x0 * x0 + coef_xt * sample
        if t > 0:
            z = torch.randn(output.shape, generator=generator, dtype=output.dtype)
            prev = prev + self.variance(t) ** 0.5 * z
        return StepOutput(prev, x0)

    def _abars(self, t: int) -> tuple[torch.Tensor, torch.Tensor]:
        prev_t = self.previous_timestep(t)
        one = torch.tensor(1.0)
        return self.alphas_cumprod[t], self.alphas_cumprod[prev_t] if prev_t >= 0 else one


class DDIMSampler(_Schedule):
    """DDIM sampling: deterministic for eta=0, stochastic for eta > 0."""

    def __init__(self, config: ScheduleConfig | None = None) -> None:
        super().__init__(config)
        # abar "before" timestep 0: 1 (a clean image) or abar_0 (Song et al.'s code)
        self.final_alpha_cumprod = (
            torch.tensor(1.0) if self.config.set_alpha_to_one else self.alphas_cumprod[0]
        )

    def step(
        self,
        output: torch.Tensor,
        t: int,
        sample: torch.Tensor,
        eta: float = 0.0,
        generator: torch.Generator | None = None,
        use_clipped_model_output: bool = False,
    ) -> StepOutput:
        """x_prev from x_t and the model output at t (call `set_timesteps` first)."""
        if self.num_inference_steps is None:
            raise ValueError("call set_timesteps(n_steps) before step()")
        prev_t = t - self.config.num_train_timesteps // self.num_inference_steps
        abar_t = self.alphas_cumprod[t]
        abar_prev = self.alphas_cumprod[prev_t] if prev_t >= 0 else self.final_alpha_cumprod
        x0, eps = self._x0_and_eps(output, sample, abar_t)
        x0 = self._clip(x0)
        variance = (1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)
        sigma = eta * variance**0.5
        if use_clipped_model_output:  # the noise that is consistent with the clipped x_0
            eps = (sample - abar_t**0.5 * x0) / (1 - abar_t) ** 0.5
        prev = abar_prev**0.5 * x0 + (1 - abar_prev - sigma**2) ** 0.5 * eps
        if eta > 0:
            z = torch.randn(output.shape, generator=generator, dtype=output.dtype)
            prev = prev + sigma * z
        return StepOutput(prev, x0)
