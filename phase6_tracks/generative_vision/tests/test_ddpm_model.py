"""The U-Net, its training loop, our sampling loop (= diffusers' loop) and the judged shares."""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.generative_vision.ddpm_train import DDPMRun, DDPMTrainConfig, sample, train_ddpm
from phase6_tracks.generative_vision.digits import (
    Digits,
    confident_shares,
    load_digits_split,
)
from phase6_tracks.generative_vision.schedules import ScheduleConfig
from phase6_tracks.generative_vision.unet import TinyUNet, timestep_embedding


def test_timestep_embedding_by_hand():
    emb = timestep_embedding(torch.tensor([0, 3]), 4)  # frequencies 1 and 1e-2
    expected = torch.tensor(
        [[0.0, 0.0, 1.0, 1.0], [math.sin(3), math.sin(0.03), math.cos(3), math.cos(0.03)]]
    )
    assert_parity(emb, expected, reference="hand-computed", rtol=1e-6, atol=1e-7, name="emb")


def test_unet_keeps_the_image_shape_and_uses_the_class():
    torch.manual_seed(0)
    model = TinyUNet(16).eval()
    x, t = torch.randn(5, 1, 8, 8), torch.tensor([0, 10, 100, 500, 999])
    a = model(x, t, torch.tensor([0, 1, 2, 3, 4]))
    b = model(x, t, torch.tensor([5, 6, 7, 8, 9]))
    assert a.shape == x.shape
    assert (a - b).abs().max() > 1e-4  # the class embedding reaches the output


def test_digits_split_is_stratified_and_scaled():
    data = load_digits_split()
    assert len(data.y_train) + len(data.y_test) == 1797
    assert float(data.x_train.min()) == -1.0 and float(data.x_train.max()) == 1.0
    counts = torch.bincount(data.y_test, minlength=10)
    assert int(counts.min()) >= 35 and int(counts.max()) <= 37


def test_training_lowers_the_denoising_loss():
    data = load_digits_split()
    small = Digits(data.x_train[:256], data.y_train[:256], data.x_test, data.y_test)
    run = train_ddpm(small, DDPMTrainConfig(steps=150, batch_size=32, width=16))
    first, last = sum(run.losses[:20]) / 20, sum(run.losses[-20:]) / 20
    assert last < 0.6 * first, (first, last)


@pytest.mark.parametrize("method", ["ddim", "ddpm"])
def test_sampling_loop_equals_one_driven_by_diffusers(method):
    diffusers = pytest.importorskip("diffusers")
    torch.manual_seed(0)
    schedule = ScheduleConfig(beta_schedule="squaredcos_cap_v2")
    model = TinyUNet(16).eval()
    run = DDPMRun(model, [], 0.0, DDPMTrainConfig(width=16, schedule=schedule))
    labels = torch.tensor([0, 3, 7, 9])
    ours = sample(run, labels, 10, method, seed=5)
    cls = diffusers.DDIMScheduler if method == "ddim" else diffusers.DDPMScheduler
    ref: Any = cls(beta_schedule="squaredcos_cap_v2")
    ref.set_timesteps(10)
    gen = torch.Generator().manual_seed(5)
    x = torch.randn(4, 1, 8, 8, generator=gen)
    with torch.no_grad():
        for t in ref.timesteps.tolist():
            x = ref.step(model(x, torch.full((4,), t), labels), t, x, generator=gen).prev_sample
    # float32 U-Net outputs fed back 10 times: the chains agree to float rounding.
    assert_parity(
        ours,
        x.clamp(-1, 1),
        reference=reference_version("diffusers"),
        rtol=1e-5,
        atol=1e-5,
        name=f"{method} 10-step sampling loop",
    )


def test_confident_shares_by_hand():
    wanted = torch.tensor([0] * 4 + [1] * 2 + list(range(2, 10)))
    pred = torch.tensor([0, 0, 5, 0, 1, 1, *range(2, 10)])
    conf = torch.tensor([0.95, 0.5, 0.99, 0.9] + [0.2, 0.91] + [1.0] * 8)
    shares = confident_shares(pred, conf, wanted)
    assert shares["confident"][:2] == [0.75, 0.5]
    assert shares["confident_and_right"][:2] == [0.5, 0.5]  # the 0.99 is another class
    assert shares["confident_and_right"][2:] == [1.0] * 8
