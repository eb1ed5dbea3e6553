"""The drill catalogue: one injected bug each, its symptom, the class the toolkit must name,
and the test accuracy the fixed loop reaches."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .checks import seed_all
from .loop import DigitsLoop

TARGET = {"mlp": 0.93, "bn_mlp": 0.93, "seq": 0.8}  # test accuracy of the fixed loop, 300 steps


@dataclass(frozen=True)
class Drill:
    """One broken set-up."""

    bug: str
    kind: str
    bug_class: str
    symptom: str

    def broken(self) -> DigitsLoop:
        """The loop with the bug injected."""
        return DigitsLoop(self.kind, self.bug)

    def fixed(self) -> DigitsLoop:
        """The same loop with the bug removed."""
        return DigitsLoop(self.kind, None)

    @property
    def target(self) -> float:
        """Test accuracy the fixed loop must reach."""
        return TARGET[self.kind]


DRILLS = (
    Drill(
        "lr_too_high", "mlp", "exploding_updates", "loss jumps to 1e3+ then NaN within a few steps"
    ),
    Drill(
        "log_of_zero",
        "mlp",
        "nonfinite_op",
        "loss is NaN from the first step: t*log(t) with one-hot t",
    ),
    Drill(
        "missing_zero_grad",
        "mlp",
        "stale_gradients",
        "loss falls, then oscillates and climbs: steps grow",
    ),
    Drill(
        "loss_sum_reduction",
        "mlp",
        "loss_scale",
        "initial loss ~147 instead of 2.3; training diverges",
    ),
    Drill("softmax_wrong_dim", "mlp", "batch_mixing", "loss falls but test accuracy stays low"),
    Drill("double_softmax", "mlp", "cannot_overfit", "loss plateaus near 1.5, never approaches 0"),
    Drill(
        "labels_shifted", "mlp", "labels_not_learnable", "train loss stuck at ~2.3, chance accuracy"
    ),
    Drill(
        "labels_shuffled",
        "mlp",
        "labels_not_learnable",
        "train loss stuck at ~2.3, chance accuracy",
    ),
    Drill(
        "duplicates_across_splits", "mlp", "split_leakage", "test accuracy better than it should be"
    ),
    Drill("label_in_features", "mlp", "label_leakage", "near-perfect accuracy after a few steps"),
    Drill(
        "unnormalised_inputs", "mlp", "input_scale", "huge initial loss, unstable or NaN training"
    ),
    Drill("dropout_at_eval", "mlp", "train_mode_at_eval", "test accuracy changes run to run"),
    Drill("batchnorm_at_eval", "bn_mlp", "train_mode_at_eval", "predictions depend on the batch"),
    Drill("padding_unmasked", "seq", "padding_leak", "accuracy depends on sequence length"),
    Drill("frozen_layer", "mlp", "frozen_parameters", "slower learning; first layer never moves"),
    Drill("dead_init", "mlp", "vanishing_signal", "loss flat at 2.30 for many steps"),
    Drill("unseeded_shuffle", "mlp", "nondeterminism", "same seed, different curves"),
    Drill(
        "fp16_overflow", "mlp", "half_precision_overflow", "loss turns Inf once a logit passes 11"
    ),
)


def train_accuracy(loop: DigitsLoop, steps: int = 300) -> tuple[list[float], float]:
    """Train `steps` steps from seed 0; (loss curve, test accuracy)."""
    seed_all(0)
    model, opt = loop.make(0)
    losses = [loop.step(model, opt, x, y) for x, y in loop.batches(steps)]
    test = loop.data()[1]
    with torch.no_grad():
        acc = float((loop.predict(model, test.x).argmax(1) == test.y).float().mean())
    return losses, acc
