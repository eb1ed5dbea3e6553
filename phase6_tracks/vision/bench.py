"""Benchmark: our box IoU, NMS, mAP and segmentation metrics vs the references, same data.

Box IoU vs pycocotools (C); mAP vs COCOeval (Python + C IoU); segmentation metrics vs
torchmetrics; NMS and soft-NMS vs the pair-by-pair definitions (no library has them here),
and our vectorised NMS vs the minimal version's one-row-per-kept-box loop, which is what
computing the IoU matrix once buys. Three sizes each; ratio < 1 means ours is faster.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from . import boxes as B
from . import definitions as D
from . import minimal
from . import nms as N
from . import references as R
from .coco_map import coco_map
from .seg_metrics import scores
from .synthetic import detection_problem, random_boxes

DEFINITION = "published definition (torch, pair by pair)"


def run(quick: bool = False) -> list[BenchRow]:
    """One row per case and size."""
    return [*_box_rows(quick), *_nms_rows(quick), *_map_rows(quick), *_seg_rows(quick)]


def _box_rows(quick: bool) -> list[BenchRow]:
    rows = []
    coco = reference_version("pycocotools")
    for n in sizes(quick, full=(100, 300, 1000), small=(30, 100, 300)):
        rng = np.random.default_rng(n)
        a, b = random_boxes(rng, n), random_boxes(rng, n)
        err = float(np.abs(B.box_iou(a, b) - R.coco_box_iou(a, b)).max())
        rows.append(
            compare(
                "box IoU (n x n) vs pycocotools.mask.iou",
                n,
                partial(B.box_iou, a, b),
                partial(R.coco_box_iou, a, b),
                reference=coco,
                repeats=5,
                quality={"max_abs_err": err},
            )
        )
    return rows


def _nms_rows(quick: bool) -> list[BenchRow]:
    rows = []
    for n in sizes(quick, full=(100, 300, 1000), small=(30, 100, 300)):
        rng = np.random.default_rng(n)
        boxes, s = random_boxes(rng, n), rng.random(n)
        same = bool(np.array_equal(N.nms(boxes, s, 0.5), minimal.nms(boxes, s, 0.5)))
        rows.append(
            compare(
                "NMS (IoU > 0.5) vs minimal.nms (row per kept box)",
                n,
                partial(N.nms, boxes, s, 0.5),
                partial(minimal.nms, boxes, s, 0.5),
                reference="minimal version",
                repeats=5,
                quality={"same_indices": same},
            )
        )
    for n in sizes(quick, full=(50, 100, 200), small=(10, 20, 40)):
        rng = np.random.default_rng(n)
        boxes, s = random_boxes(rng, n), rng.random(n)
        same = bool(np.array_equal(N.nms(boxes, s, 0.5), D.nms(boxes, s, 0.5)))
        rows.append(
            compare(
                "NMS (IoU > 0.5) vs definition",
                n,
                partial(N.nms, boxes, s, 0.5),
                partial(D.nms, boxes, s, 0.5),
                reference=DEFINITION,
                repeats=3,
                quality={"same_indices": same},
            )
        )
        ours = partial(N.soft_nms, boxes, s, "gaussian", 0.3, 0.5, 0.001)
        ref = partial(D.soft_nms, boxes, s, "gaussian", 0.3, 0.5, 0.001)
        err = float(np.abs(ours()[1] - ref()[1]).max())
        rows.append(
            compare(
                "soft-NMS (Gaussian) vs definition",
                n,
                ours,
                ref,
                reference=DEFINITION,
                repeats=3,
                quality={"max_score_err": err},
            )
        )
    return rows


def _map_rows(quick: bool) -> list[BenchRow]:
    rows = []
    for n in sizes(quick, full=(100, 300, 1000), small=(20, 50, 100)):
        gts, dets = detection_problem(n, 5, seed=n)
        ours, ref = coco_map(gts, dets), R.cocoeval_map(gts, dets)
        rows.append(
            compare(
                "mAP@[.5:.95] (images, 5 classes) vs COCOeval",
                n,
                partial(coco_map, gts, dets),
                partial(R.cocoeval_map, gts, dets),
                reference=reference_version("pycocotools"),
                repeats=3,
                quality={"map": round(ours.map, 6), "abs_err": abs(ours.map - ref["map"])},
            )
        )
    return rows


def _seg_rows(quick: bool) -> list[BenchRow]:
    rows = []
    for n in sizes(quick, full=(16, 64, 256), small=(2, 8, 32)):
        rng = np.random.default_rng(n)
        target = rng.integers(0, 5, size=(n, 64, 64))
        pred = np.where(rng.random(target.shape) < 0.8, target, rng.integers(0, 5, target.shape))
        ours = scores(pred, target, 5)
        ref = R.torchmetrics_segmentation(pred, target, 5)
        rows.append(
            compare(
                "IoU, Dice, pixel accuracy (64x64 images) vs torchmetrics",
                n,
                partial(scores, pred, target, 5),
                partial(R.torchmetrics_segmentation, pred, target, 5),
                reference=reference_version("torchmetrics"),
                repeats=3,
                quality={"mean_iou_err": abs(ours.mean_iou - ref["mean_iou"])},
            )
        )
    return rows
