"""Our DDPM/DDIM schedules and reverse steps equal diffusers' DDPMScheduler / DDIMScheduler."""

from __future__ import annotations

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.generative_vision.samplers import DDIMSampler, DDPMSampler
from phase6_tracks.generative_vision.schedules import (
    ScheduleConfig,
    add_noise,
    inference_timesteps,
    velocity,
)

diffusers = pytest.importorskip("diffusers")
REF = reference_version("diffusers")
# float32 arithmetic in the same order as diffusers: equal to a few ulps.
RTOL, ATOL = 1e-6, 1e-6
SCHEDULES = ("linear", "scaled_linear", "squaredcos_cap_v2")


def _cfg(**kw) -> dict:
    base = {"num_train_timesteps": 1000, "beta_schedule": "linear"}
    base.update(kw)
    return base


def _tensors(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(4, 1, 8, 8, generator=g) * 1.5, torch.randn(4, 1, 8, 8, generator=g)


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_betas_and_alphas_cumprod_equal_diffusers(schedule):
    ref = diffusers.DDPMScheduler(**_cfg(beta_schedule=schedule, beta_end=0.012))
    ours = DDPMSampler(ScheduleConfig(**_cfg(beta_schedule=schedule, beta_end=0.012)))
    assert_parity(ours.betas, ref.betas, reference=REF, exact=True, name=f"{schedule} betas")
    assert_parity(
        ours.alphas_cumprod, ref.alphas_cumprod, reference=REF, exact=True, name=f"{schedule} abar"
    )


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_add_noise_and_velocity_equal_diffusers(schedule):
    ref = diffusers.DDPMScheduler(beta_schedule=schedule)
    ours = DDPMSampler(ScheduleConfig(beta_schedule=schedule))
    x0, noise = _tensors(0)
    t = torch.tensor([0, 17, 500, 999])
    for name, fn, ref_fn in (
        ("add_noise", add_noise, ref.add_noise),
        ("velocity", velocity, ref.get_velocity),
    ):
        assert_parity(
            fn(ours.alphas_cumprod, x0, noise, t),
            ref_fn(x0, noise, t),
            reference=REF,
            rtol=RTOL,
            atol=ATOL,
            name=f"{schedule} {name}",
        )


@pytest.mark.parametrize("spacing", ("leading", "trailing", "linspace"))
@pytest.mark.parametrize("n_steps", (1, 7, 50, 1000))
def test_inference_timesteps_equal_diffusers(spacing, n_steps):
    ref = diffusers.DDIMScheduler(timestep_spacing=spacing, steps_offset=1 if n_steps == 7 else 0)
    ref.set_timesteps(n_steps)
    cfg = ScheduleConfig(timestep_spacing=spacing, steps_offset=1 if n_steps == 7 else 0)
    assert_parity(
        inference_timesteps(cfg, n_steps), ref.timesteps, reference=REF, exact=True, name=spacing
    )


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("prediction", ("epsilon", "sample", "v_prediction"))
@pytest.mark.parametrize("clip", (True, False))
@pytest.mark.parametrize("variance", ("fixed_small", "fixed_large"))
@pytest.mark.parametrize("n_steps", (None, 20))
def test_ddpm_step_equals_diffusers(schedule, prediction, clip, variance, n_steps):
    kw = _cfg(
        beta_schedule=schedule, prediction_type=prediction, clip_sample=clip, variance_type=variance
    )
    ref, ours = diffusers.DDPMScheduler(**kw), DDPMSampler(ScheduleConfig(**kw))
    if n_steps:
        ref.set_timesteps(n_steps)
        ours.set_timesteps(n_steps)
    sample, output = _tensors(1)
    for t in (int(ref.timesteps[0]), int(ref.timesteps[len(ref.timesteps) // 2]), 0):
        r = ref.step(output, t, sample, generator=torch.Generator().manual_seed(t))
        o = ours.step(output, t, sample, generator=torch.Generator().manual_seed(t))
        for field in ("prev_sample", "pred_original_sample"):
            assert_parity(
                getattr(o, field),
                getattr(r, field),
                reference=REF,
                rtol=RTOL,
                atol=ATOL,
                name=f"DDPM {field} t={t}",
            )
        assert_parity(
            ours.variance(t), ref._get_variance(t), reference=REF, rtol=RTOL, name="variance"
        )


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("prediction", ("epsilon", "sample", "v_prediction"))
@pytest.mark.parametrize("clip", (True, False))
@pytest.mark.parametrize("eta", (0.0, 0.5, 1.0))
@pytest.mark.parametrize("alpha_to_one", (True, False))
def test_ddim_step_equals_diffusers(schedule, prediction, clip, eta, alpha_to_one):
    kw = _cfg(
        beta_schedule=schedule,
        prediction_type=prediction,
        clip_sample=clip,
        set_alpha_to_one=alpha_to_one,
    )
    ref, ours = diffusers.DDIMScheduler(**kw), DDIMSampler(ScheduleConfig(**kw))
    ref.set_timesteps(25)
    ours.set_timesteps(25)
    sample, output = _tensors(2)
    for t in (int(ref.timesteps[0]), int(ref.timesteps[12]), 0):
        for clipped in (False, True):
            r = ref.step(
                output,
                t,
                sample,
                eta=eta,
                use_clipped_model_output=clipped,
                generator=torch.Generator().manual_seed(t),
            )
            o = ours.step(
                output,
                t,
                sample,
                eta=eta,
                use_clipped_model_output=clipped,
                generator=torch.Generator().manual_seed(t),
            )
            for field in ("prev_sample", "pred_original_sample"):
                assert_parity(
                    getattr(o, field),
                    getattr(r, field),
                    reference=REF,
                    rtol=RTOL,
                    atol=ATOL,
                    name=f"DDIM {field} t={t} eta={eta}",
                )


def test_full_sampling_loop_equals_diffusers():
    """50 DDIM steps (eta=1) with a fixed 'model': errors do not grow along the chain."""
    kw = _cfg(beta_schedule="squaredcos_cap_v2")
    ref, ours = diffusers.DDIMScheduler(**kw), DDIMSampler(ScheduleConfig(**kw))
    ref.set_timesteps(50)
    ours.set_timesteps(50)
    x_ref = x_ours = _tensors(3)[0]
    g_ref, g_ours = torch.Generator().manual_seed(0), torch.Generator().manual_seed(0)
    for t in ref.timesteps:
        x_ref = ref.step(0.1 * x_ref, int(t), x_ref, eta=1.0, generator=g_ref).prev_sample
        x_ours = ours.step(0.1 * x_ours, int(t), x_ours, eta=1.0, generator=g_ours).prev_sample
    assert_parity(x_ours, x_ref, reference=REF, rtol=1e-5, atol=1e-5, name="50-step DDIM chain")


def test_config_from_diffusers_refuses_what_is_not_implemented():
    cfg = ScheduleConfig.from_dict(
        dict(diffusers.DDPMScheduler(beta_schedule="scaled_linear").config)
    )
    assert cfg.beta_schedule == "scaled_linear"
    with pytest.raises(ValueError, match="thresholding"):
        ScheduleConfig.from_dict(dict(diffusers.DDPMScheduler(thresholding=True).config))
    with pytest.raises(ValueError, match="variance_type"):
        ScheduleConfig.from_dict(dict(diffusers.DDPMScheduler(variance_type="learned").config))
    with pytest.raises(ValueError, match="unknown"):
        ScheduleConfig.from_dict({"num_train_timesteps": 10, "karras_sigmas": True})
