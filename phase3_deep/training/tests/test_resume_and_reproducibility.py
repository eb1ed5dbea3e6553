"""Resuming at step k is bit-identical to not stopping; one seed gives one result."""

import pytest
import torch

from phase0_env.common.parity import assert_parity
from phase3_deep.training.config import TrainConfig
from phase3_deep.training.example_task import DigitsMLP
from phase3_deep.training.loop import Trainer


def _model(seed=0):
    torch.manual_seed(seed)
    return DigitsMLP(hidden=48, dropout=0.3)


def _flat(model):
    return torch.cat([v.flatten() for v in model.state_dict().values()])


@pytest.mark.parametrize(
    ("stop_at", "accum", "schedule", "precision"),
    [
        (3, 1, "warmup_cosine", "fp32"),  # mid epoch
        (17, 1, "one_cycle", "fp32"),  # right at the epoch boundary (17 steps per epoch)
        (12, 2, "warmup_cosine", "fp32"),  # with gradient accumulation
        (5, 1, "constant", "bf16"),  # under bf16 autocast
    ],
)
def test_resume_at_step_k_gives_bit_identical_weights(
    digits, tmp_path, stop_at, accum, schedule, precision
):
    train, val, _ = digits
    base = dict(
        epochs=3,
        batch_size=64,
        lr=2e-3,
        accum_steps=accum,
        schedule=schedule,
        precision=precision,
        label_smoothing=0.1,
        patience=5,
    )
    straight = _model()
    full = Trainer(straight, TrainConfig(**base)).fit(train, val)

    ckpt = tmp_path / "k.pt"
    paused = Trainer(_model(), TrainConfig(**base, max_steps=stop_at), checkpoint_path=ckpt)
    first = paused.fit(train, val)
    assert first.paused and first.steps == stop_at
    torch.manual_seed(12345)  # disturb the global RNG: the checkpoint must restore it
    resumed = _model(seed=7)  # different initial weights: the checkpoint must overwrite them
    second = Trainer(resumed, TrainConfig(**base)).fit(train, val, resume_from=ckpt)

    assert second.steps == full.steps
    assert second.history == full.history
    assert_parity(_flat(resumed), _flat(straight), reference="uninterrupted run", exact=True)


def test_two_runs_with_one_seed_give_identical_metrics_and_weights(digits):
    train, val, _ = digits
    cfg = TrainConfig(epochs=2, lr=3e-3, label_smoothing=0.1, seed=3)
    a, b = _model(), _model()
    ra = Trainer(a, cfg).fit(train, val)
    rb = Trainer(b, cfg).fit(train, val)
    assert ra.history == rb.history
    assert torch.equal(_flat(a), _flat(b))


def test_a_different_data_seed_changes_the_run(digits):
    train, val, _ = digits
    a, b = _model(), _model()
    ra = Trainer(a, TrainConfig(epochs=1, seed=0)).fit(train, val)
    rb = Trainer(b, TrainConfig(epochs=1, seed=1)).fit(train, val)
    assert ra.history != rb.history


def test_checkpoint_holds_what_resuming_needs(digits, tmp_path):
    train, _, _ = digits
    r = Trainer(
        _model(), TrainConfig(epochs=1, max_steps=4), checkpoint_path=tmp_path / "c.pt"
    ).fit(train)
    state = torch.load(r.checkpoint, weights_only=True)
    assert state["step"] == 4 and state["epoch"] == 0
    assert {"model", "optimizer", "torch_rng", "history", "config"} <= set(state)
