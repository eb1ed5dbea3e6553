"""Seeded boxes and predictions for the box-op, NMS and mAP checks (not images).

`random_boxes` can mix in the degenerate cases (zero width, zero height, a point, exact
duplicates); `detection_problem` draws ground truth per image and noisy predictions of it:
jittered true boxes, duplicates, false positives, images without ground truth, and in
"crowded" mode tight clusters of overlapping objects, with scores that sometimes tie.
"""

from __future__ import annotations

import numpy as np

from .coco_map import Detections, GroundTruth


def random_boxes(
    rng: np.random.Generator, n: int, extent: float = 100.0, degenerate: bool = False
) -> np.ndarray:
    """(n, 4) x0, y0, x1, y1 boxes inside [0, extent]^2, some degenerate if asked."""
    xy = rng.uniform(0, extent * 0.8, size=(n, 2))
    wh = rng.uniform(1, extent * 0.3, size=(n, 2))
    boxes = np.concatenate([xy, xy + wh], axis=1)
    if degenerate and n >= 4:
        kind = rng.integers(0, 5, size=n)  # 0-1 normal, 2 zero width, 3 zero height, 4 copy
        boxes[kind == 2, 2] = boxes[kind == 2, 0]
        boxes[kind == 3, 3] = boxes[kind == 3, 1]
        copies = np.flatnonzero(kind == 4)
        boxes[copies] = boxes[rng.integers(0, n, size=len(copies))]
        boxes[0] = [5.0, 5.0, 5.0, 5.0]  # a point
    return boxes


def detection_problem(
    n_images: int, n_classes: int, seed: int, crowded: bool = False
) -> tuple[list[GroundTruth], list[Detections]]:
    """Ground truth and predictions for `n_images` images (about 1 in 8 without ground truth)."""
    rng = np.random.default_rng(seed)
    gts, dets = [], []
    for _ in range(n_images):
        n_obj = 0 if rng.random() < 0.125 else int(rng.integers(1, 12 if crowded else 6))
        if crowded:  # objects packed around a few centres, so true boxes overlap heavily
            centres = rng.uniform(20, 80, size=(2, 2))[rng.integers(0, 2, size=n_obj)]
            half = rng.uniform(5, 15, size=(n_obj, 2))
            jitter = rng.normal(0, 4, size=(n_obj, 2))
            boxes = np.concatenate([centres + jitter - half, centres + jitter + half], axis=1)
        else:
            boxes = random_boxes(rng, n_obj)
        labels = rng.integers(0, n_classes, size=n_obj)
        gts.append(GroundTruth(boxes, labels))
        dets.append(_predict(rng, boxes, labels, n_classes))
    return gts, dets


def _predict(
    rng: np.random.Generator, boxes: np.ndarray, labels: np.ndarray, n_classes: int
) -> Detections:
    """Noisy predictions of one image: found objects, duplicates, wrong classes, strays."""
    keep = rng.random(len(boxes)) < 0.85
    found, pred_labels = boxes[keep], labels[keep].copy()
    size = np.concatenate([found[:, 2:] - found[:, :2]] * 2, axis=1)
    pred = found + rng.normal(0, 0.08, size=found.shape) * size
    flip = rng.random(len(pred_labels)) < 0.1
    pred_labels[flip] = rng.integers(0, n_classes, size=int(flip.sum()))
    again = rng.random(len(pred)) < 0.3  # near duplicates, as before NMS
    dup = pred[again] + rng.normal(0, 1.0, size=(int(again.sum()), 4))
    dup_labels = pred_labels[again]
    strays = random_boxes(rng, int(rng.integers(0, 4)))
    all_boxes = np.concatenate([pred, dup, strays]).reshape(-1, 4)
    all_boxes[:, 2:] = np.maximum(all_boxes[:, 2:], all_boxes[:, :2] + 0.5)  # keep x1 > x0
    all_labels = np.concatenate(
        [pred_labels, dup_labels, rng.integers(0, n_classes, size=len(strays))]
    ).astype(np.int64)
    # Scores on a 0.05 grid so that ties happen, as they do with quantised model outputs.
    scores = np.round(rng.uniform(0.05, 1.0, size=len(all_boxes)) * 20) / 20
    scores[: len(pred)] = np.minimum(1.0, scores[: len(pred)] + 0.3)
    return Detections(all_boxes, scores, all_labels)
