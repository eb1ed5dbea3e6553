"""IoU, Dice and pixel accuracy vs torchmetrics; the confusion matrix vs scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.common.scenes import make_scenes
from phase6_tracks.vision.references import sklearn_confusion, torchmetrics_segmentation
from phase6_tracks.vision.seg_metrics import confusion_matrix, scores

TM = reference_version("torchmetrics")


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_metrics_equal_torchmetrics_on_noisy_scene_masks(keep: float) -> None:
    rng = np.random.default_rng(int(keep * 100))
    target = np.stack([s.semantic for s in make_scenes(6, seed=1)])
    pred = np.where(rng.random(target.shape) < keep, target, rng.integers(0, 5, target.shape))
    ours, ref = scores(pred, target, 5), torchmetrics_segmentation(pred, target, 5)
    # torchmetrics returns float32 values: rtol 1e-6.
    assert_parity(ours.iou, ref["iou"], reference=TM, rtol=1e-6, name="per-class IoU")
    assert_parity(ours.dice, ref["dice"], reference=TM, rtol=1e-6, name="per-class Dice")
    assert_parity(ours.mean_iou, ref["mean_iou"], reference=TM, rtol=1e-6, name="mean IoU")
    assert_parity(
        ours.pixel_accuracy, ref["pixel_accuracy"], reference=TM, rtol=1e-6, name="pixel accuracy"
    )
    assert_parity(
        confusion_matrix(pred, target, 5),
        sklearn_confusion(pred, target, 5),
        reference=reference_version("scikit-learn"),
        exact=True,
        name="confusion matrix",
    )


def test_a_class_absent_from_both_is_left_out_of_the_mean_like_torchmetrics() -> None:
    rng = np.random.default_rng(0)
    target = rng.integers(0, 3, size=(2, 16, 16))  # classes 3 and 4 never occur
    pred = np.where(rng.random(target.shape) < 0.8, target, 3)  # 3 only predicted
    ours, ref = scores(pred, target, 5), torchmetrics_segmentation(pred, target, 5)
    assert np.isnan(ours.iou[4]) and np.isnan(ours.dice[4]) and ours.iou[3] == 0.0
    assert_parity(
        ours.mean_iou,
        ref["mean_iou"],
        reference=TM,
        rtol=1e-6,
        name="mean IoU with an absent class",
    )
    assert_parity(
        ours.iou[:4],
        ref["iou"][:4],
        reference=TM,
        rtol=1e-6,
        name="per-class IoU of present classes",
    )


def test_class_ids_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match="class ids"):
        confusion_matrix(np.array([0, 5]), np.array([0, 1]), 5)
