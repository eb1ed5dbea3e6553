"""The grader of minimal.py: box IoU vs pycocotools, NMS vs the definition and the full
version, average precision vs COCOeval, on small seeded inputs."""

from __future__ import annotations

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.vision import definitions, minimal, nms, references
from phase6_tracks.vision.boxes import box_iou
from phase6_tracks.vision.coco_map import coco_map
from phase6_tracks.vision.synthetic import detection_problem, random_boxes

COCO = reference_version("pycocotools")


def test_box_iou_equals_pycocotools_incl_degenerate_boxes() -> None:
    rng = np.random.default_rng(0)
    a, b = random_boxes(rng, 40, degenerate=True), random_boxes(rng, 30, degenerate=True)
    # xyxy -> xywh for pycocotools rounds once per coordinate: float64 rtol 1e-12.
    assert_parity(
        minimal.box_iou(a, b),
        references.coco_box_iou(a, b),
        reference=COCO,
        rtol=1e-12,
        atol=1e-15,
        name="box_iou vs pycocotools",
    )
    assert_parity(
        minimal.box_iou(a, b),
        box_iou(a, b),
        reference="full box_iou",
        rtol=1e-15,
        name="box_iou vs full version",
    )


def test_box_iou_worked_example() -> None:
    got = minimal.box_iou(np.array([[0.0, 0, 2, 2]]), np.array([[1.0, 0, 3, 2]]))
    assert_parity(
        got, [[2 / 6]], reference="hand computation", rtol=1e-15, name="box_iou worked example"
    )


@pytest.mark.parametrize("thr", [0.3, 0.5, 0.7])
def test_nms_equals_the_definition_with_tied_scores(thr: float) -> None:
    rng = np.random.default_rng(1)
    boxes = random_boxes(rng, 80, degenerate=True)
    scores = np.round(rng.random(80) * 5) / 5  # five levels: many ties
    ours = minimal.nms(boxes, scores, thr)
    assert_parity(
        ours,
        definitions.nms(boxes, scores, thr),
        exact=True,
        reference="greedy NMS definition",
        name=f"nms IoU>{thr} vs definition",
    )
    assert_parity(
        ours,
        nms.nms(boxes, scores, thr),
        exact=True,
        reference="full nms",
        name=f"nms IoU>{thr} vs full version",
    )


@pytest.mark.parametrize("iou_threshold,key", [(0.5, "map50"), (0.75, "map75")])
def test_average_precision_equals_cocoeval(iou_threshold: float, key: str) -> None:
    gts, dets = detection_problem(40, 1, seed=3)  # one class, some images without GT
    ours = minimal.average_precision(
        [g.boxes for g in gts], [d.boxes for d in dets], [d.scores for d in dets], iou_threshold
    )
    assert_parity(
        ours,
        references.cocoeval_map(gts, dets)[key],
        reference=COCO,
        rtol=1e-12,
        name=f"average_precision@{iou_threshold} vs COCOeval",
    )
    full = coco_map(gts, dets).precision
    t = 0 if iou_threshold == 0.5 else 5
    assert_parity(
        ours,
        full[t, :, 0].mean(),
        reference="full coco_map",
        rtol=1e-12,
        name=f"average_precision@{iou_threshold} vs full version",
    )


def test_average_precision_without_detections_is_zero() -> None:
    gt = [np.array([[0.0, 0, 10, 10]])]
    got = minimal.average_precision(gt, [np.zeros((0, 4))], [np.zeros(0)], 0.5)
    assert_parity(got, 0.0, reference="COCO rule", exact=True, name="AP with no detections")
