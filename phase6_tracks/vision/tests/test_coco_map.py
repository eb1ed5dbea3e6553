"""Our COCO mAP vs pycocotools' COCOeval, built in memory from generated predictions."""

from __future__ import annotations

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.vision.coco_map import Detections, GroundTruth, coco_map
from phase6_tracks.vision.references import cocoeval_map
from phase6_tracks.vision.synthetic import detection_problem

COCO = reference_version("pycocotools")


def _assert_equal_to_cocoeval(gts: list[GroundTruth], dets: list[Detections], tag: str) -> None:
    ours, ref = coco_map(gts, dets), cocoeval_map(gts, dets)
    # Same float64 operations in the same order as COCOeval: only summation order may differ.
    for key in ("map", "map50", "map75"):
        assert_parity(
            getattr(ours, key), ref[key], reference=COCO, rtol=1e-12, name=f"{key} ({tag})"
        )
    assert_parity(
        ours.precision,
        ref["precision"],
        reference=COCO,
        atol=1e-12,
        name=f"precision table ({tag})",
    )


@pytest.mark.parametrize("crowded", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_map_equals_cocoeval(crowded: bool, seed: int) -> None:
    gts, dets = detection_problem(120, 4, seed=seed, crowded=crowded)
    assert any(len(g.labels) == 0 for g in gts)  # some images have no ground truth
    _assert_equal_to_cocoeval(gts, dets, f"seed {seed}, crowded {crowded}")


def test_more_than_100_detections_per_image_are_cut_like_cocoeval() -> None:
    rng = np.random.default_rng(5)
    gts, dets = [], []
    for _ in range(6):
        xy = rng.uniform(0, 90, size=(30, 2))
        boxes = np.concatenate([xy, xy + rng.uniform(3, 10, size=(30, 2))], axis=1)
        gts.append(GroundTruth(boxes, np.zeros(30, dtype=np.int64)))
        many = np.repeat(boxes, 5, axis=0) + rng.normal(0, 0.5, size=(150, 4))
        dets.append(Detections(many, rng.random(150), np.zeros(150, dtype=np.int64)))
    _assert_equal_to_cocoeval(gts, dets, "150 detections per image")


def test_classes_without_detections_or_without_ground_truth() -> None:
    box = np.array([[10.0, 10.0, 30.0, 30.0]])
    gts = [GroundTruth(box, np.array([0])), GroundTruth(box + 5, np.array([1]))]
    # class 1 is never predicted (AP 0); class 2 is predicted but has no ground truth (skipped)
    dets = [
        Detections(np.concatenate([box + 1, box]), np.array([0.9, 0.8]), np.array([0, 2])),
        Detections(np.zeros((0, 4)), np.zeros(0), np.zeros(0, dtype=np.int64)),
    ]
    ours = coco_map(gts, dets)
    assert set(ours.per_class) == {0, 1} and ours.per_class[1] == 0.0
    _assert_equal_to_cocoeval(gts, dets, "missing classes")


def test_perfect_predictions_score_one() -> None:
    gts, _ = detection_problem(20, 3, seed=9)
    dets = [Detections(g.boxes, np.ones(len(g.labels)), g.labels) for g in gts]
    result = coco_map(gts, dets)
    assert result.map == result.map50 == 1.0


def test_mismatched_image_lists_are_refused() -> None:
    gts, dets = detection_problem(3, 2, seed=0)
    with pytest.raises(ValueError, match="images"):
        coco_map(gts, dets[:2])
