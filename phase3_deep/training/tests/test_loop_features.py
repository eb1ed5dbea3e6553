"""Accumulation, early stopping, weight decay groups, dropout, bf16 autocast, progress bar."""

import torch
from torch import nn

from phase0_env.common.parity import assert_parity
from phase3_deep.training.config import TrainConfig
from phase3_deep.training.data import TensorData, epoch_batches
from phase3_deep.training.example_task import DigitsMLP
from phase3_deep.training.loop import Trainer, make_optimizer


def _model():
    torch.manual_seed(0)
    return DigitsMLP(hidden=32, dropout=0.0)


def test_gradient_accumulation_equals_one_big_batch(digits):
    train, _, _ = digits
    small = TensorData(train.x[:256], train.y[:256])
    big, acc = _model(), _model()
    common = dict(epochs=1, lr=1e-2, schedule="constant", max_steps=1, drop_last=True)
    # one step of batch 64 x 4 accumulations vs one step of batch 256 (same samples)
    Trainer(big, TrainConfig(batch_size=256, **common)).fit(small)
    Trainer(acc, TrainConfig(batch_size=64, accum_steps=4, **common)).fit(small)
    a = torch.cat([p.flatten() for p in acc.parameters()])
    b = torch.cat([p.flatten() for p in big.parameters()])
    # float32 sums in a different order; Adam's first step divides by sqrt(v), so allow 1e-5
    assert_parity(a, b, reference="one batch of 256", rtol=1e-5, atol=1e-6)


def test_epoch_batches_cover_every_sample_once_and_depend_only_on_seed_and_epoch():
    a = epoch_batches(100, 32, seed=4, epoch=2)
    assert [len(b) for b in a] == [32, 32, 32, 4]
    assert sorted(torch.cat(a).tolist()) == list(range(100))
    assert all(torch.equal(x, y) for x, y in zip(a, epoch_batches(100, 32, 4, 2), strict=True))
    assert not torch.equal(torch.cat(a), torch.cat(epoch_batches(100, 32, 4, 3)))


def test_early_stopping_stops_when_val_loss_stops_improving(digits):
    train, val, _ = digits
    # a constant, large LR with no decay overfits/plateaus fast
    cfg = TrainConfig(epochs=40, lr=3e-2, schedule="constant", patience=2, grad_clip=None)
    r = Trainer(_model(), cfg).fit(train, val)
    assert r.stopped_early
    assert len(r.history) < 40
    best = min(row["val_loss"] for row in r.history)
    assert r.best_val_loss == best
    assert all(row["val_loss"] >= best for row in r.history[-2:])


def test_weight_decay_applies_to_weights_not_biases():
    opt = make_optimizer(_model(), TrainConfig(weight_decay=0.1))
    decayed = [g for g in opt.param_groups if g["weight_decay"] == 0.1]
    plain = [g for g in opt.param_groups if g["weight_decay"] == 0.0]
    assert all(p.dim() >= 2 for p in decayed[0]["params"])
    assert all(p.dim() == 1 for p in plain[0]["params"])


def test_weight_decay_shrinks_weights_compared_with_none(digits):
    train, _, _ = digits
    a, b = _model(), _model()
    Trainer(a, TrainConfig(epochs=2, weight_decay=0.0)).fit(train)
    Trainer(b, TrainConfig(epochs=2, weight_decay=1.0)).fit(train)
    assert b.net[0].weight.norm() < a.net[0].weight.norm()


def test_dropout_is_active_in_training_and_off_in_evaluation(digits):
    train, val, _ = digits
    torch.manual_seed(0)
    model = DigitsMLP(hidden=32, dropout=0.5)
    trainer = Trainer(model, TrainConfig(epochs=1))
    trainer.fit(train)
    assert trainer.evaluate(val) == trainer.evaluate(val)  # eval: deterministic
    model.train()
    x = val.x[:8]
    assert not torch.equal(model(x), model(x))  # train: dropout masks differ


def test_bf16_autocast_runs_matmuls_in_bfloat16_and_still_learns(digits):
    train, val, _ = digits
    seen = []
    model = _model()
    model.net[0].register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    r = Trainer(model, TrainConfig(epochs=5, lr=1e-2, precision="bf16")).fit(train, val)
    ref = Trainer(_model(), TrainConfig(epochs=5, lr=1e-2, precision="fp32")).fit(train, val)
    assert torch.bfloat16 in seen
    assert r.history[-1]["val_accuracy"] > 0.9
    # bf16 rounding changes the path, not the destination: within 3 points of fp32
    assert abs(r.history[-1]["val_accuracy"] - ref.history[-1]["val_accuracy"]) < 0.03
    assert model.net[0].weight.dtype == torch.float32  # master weights stay fp32


def test_label_smoothing_raises_the_training_loss_floor(digits):
    train, _, _ = digits
    plain = Trainer(_model(), TrainConfig(epochs=3, lr=3e-3)).fit(train)
    smooth = Trainer(_model(), TrainConfig(epochs=3, lr=3e-3, label_smoothing=0.2)).fit(train)
    assert smooth.history[-1]["train_loss"] > plain.history[-1]["train_loss"]


def test_progress_bar_reports_steps(digits, capsys):
    train, _, _ = digits
    Trainer(_model(), TrainConfig(epochs=1, progress=True)).fit(train)
    err = capsys.readouterr().err
    assert "train" in err and "17/17" in err


def test_custom_loss_function_is_used(digits):
    train, _, _ = digits
    calls = []

    def loss_fn(out, y):
        calls.append(1)
        return nn.functional.cross_entropy(out, y)

    Trainer(_model(), TrainConfig(epochs=1), loss_fn=loss_fn).fit(train)
    assert len(calls) == 17  # ceil(1077 / 64) batches
