"""A broken set-up is stopped with a clear error, never silently trained on."""

import pytest
import torch

from phase3_deep.training.checkpoint import load_checkpoint
from phase3_deep.training.config import TrainConfig
from phase3_deep.training.data import TensorData
from phase3_deep.training.example_task import DigitsMLP
from phase3_deep.training.loop import Trainer, TrainingDiverged
from phase3_deep.training.schedules import OneCycle, WarmupCosine


def test_too_high_learning_rate_is_reported_as_diverged(digits):
    train, _, _ = digits
    with pytest.raises(TrainingDiverged, match="LR is too high"):
        Trainer(DigitsMLP(), TrainConfig(epochs=1, lr=1e4, grad_clip=None)).fit(train)


def test_nan_in_the_input_is_rejected_before_the_step(digits):
    train, _, _ = digits
    x = train.x.clone()
    x[10, 0] = float("nan")
    model = DigitsMLP()
    with pytest.raises(ValueError, match="NaN or inf"):
        Trainer(model, TrainConfig(epochs=1)).fit(TensorData(x, train.y))
    assert all(torch.isfinite(p).all() for p in model.parameters())


def test_input_that_overflows_to_a_nan_loss_is_reported(digits):
    train, _, _ = digits
    x = train.x.clone() * 3e38  # finite values whose activations overflow to inf / NaN
    with pytest.raises(TrainingDiverged, match="loss is"):
        Trainer(DigitsMLP(), TrainConfig(epochs=1)).fit(TensorData(x, train.y))


@pytest.mark.parametrize(
    "kwargs",
    [{"epochs": 0}, {"lr": -1.0}, {"precision": "fp16"}, {"schedule": "step"}, {"accum_steps": 0}],
)
def test_invalid_config_is_rejected(kwargs):
    with pytest.raises(ValueError):
        TrainConfig(**kwargs)


def test_invalid_schedules_are_rejected():
    with pytest.raises(ValueError):
        WarmupCosine(0.1, warmup_steps=10, total_steps=10)
    with pytest.raises(ValueError):
        WarmupCosine(0.1, 1, 10, start_factor=0.0)
    with pytest.raises(ValueError):
        OneCycle(0.1, total_steps=1)


def test_mismatched_or_empty_data_is_rejected():
    with pytest.raises(ValueError, match="rows"):
        TensorData(torch.zeros(3, 2), torch.zeros(4))
    with pytest.raises(ValueError, match="empty"):
        TensorData(torch.zeros(0, 2), torch.zeros(0))


def test_drop_last_with_a_dataset_smaller_than_a_batch_is_an_error():
    data = TensorData(torch.zeros(5, 64), torch.zeros(5, dtype=torch.long))
    with pytest.raises(ValueError, match="smaller than one batch"):
        Trainer(DigitsMLP(), TrainConfig(batch_size=8, drop_last=True)).fit(data)


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        load_checkpoint(tmp_path / "nope.pt")
