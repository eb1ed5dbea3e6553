"""Detection scoring in three ideas: box IoU, greedy NMS, and COCO-style average precision.

The smallest readable version, NumPy only, for one class at one IoU threshold:

- IoU of two boxes is the area they share over the area they cover together;
- NMS keeps the best-scoring box and throws away every box that overlaps it too much;
- AP ranks all detections by score, marks each a hit if it finds a free ground-truth box
  with IoU >= t, and averages the precision envelope at 101 recall points (COCO's rule).

Boxes are (N, 4) arrays of x0, y0, x1, y1. The full versions (`boxes.py`, `nms.py`,
`coco_map.py`) add GIoU, soft-NMS, many classes and thresholds, and COCO's tie rules.
"""

from __future__ import annotations

import numpy as np


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of every box in `a` with every box in `b`; 0 where they share no area.

    Example: box_iou([[0, 0, 2, 2]], [[1, 0, 3, 2]]) -> [[2 / 6]] (overlap 2, union 6).
    Hint: broadcast a[:, None] against b[None, :]; intersection width is
    min(right edges) - max(left edges), clipped at 0.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])  # (N, M, 2)
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])  # (N, M, 2)
    wh = np.clip(bottom_right - top_left, 0, None)  # (N, M, 2), 0 where disjoint
    inter = wh[..., 0] * wh[..., 1]  # (N, M)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])  # (N,)
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])  # (M,)
    union = area_a[:, None] + area_b[None, :] - inter  # (N, M)
    return np.where(inter > 0, inter / np.where(union > 0, union, 1.0), 0.0)


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Indices of the boxes greedy NMS keeps, best score first (equal scores: lower index).

    Repeatedly keep the best remaining box and drop every remaining box whose IoU with it
    is greater than `iou_threshold`.
    Hint: np.argsort(-scores, kind="stable") gives the visiting order.
    """
    order = list(np.argsort(-np.asarray(scores), kind="stable"))
    keep = []
    while order:
        best = order.pop(0)
        keep.append(best)
        if order:
            ious = box_iou(boxes[[best]], boxes[order])[0]  # (len(order),)
            order = [i for i, iou in zip(order, ious, strict=True) if iou <= iou_threshold]
    return np.array(keep, dtype=np.int64)


def average_precision(
    gt_boxes: list[np.ndarray],
    det_boxes: list[np.ndarray],
    det_scores: list[np.ndarray],
    iou_threshold: float,
) -> float:
    """COCO AP of one class at one IoU threshold over images (lists aligned by image).

    In each image, detections (best first) each take the unmatched ground-truth box of
    highest IoU if that IoU >= `iou_threshold` (a hit) and are misses otherwise. Then over
    all images, by descending score: precision and recall after each detection; make
    precision non-increasing from the right; read it at recall 0, 0.01, ..., 1 (0 where
    that recall is never reached); return the mean.
    Hint: np.searchsorted(recall, points, side="left") finds the first detection reaching
    each recall point; sort with kind="mergesort" so equal scores keep image order.
    """
    scores, hits = [], []
    for gt, boxes, s in zip(gt_boxes, det_boxes, det_scores, strict=True):
        order = np.argsort(-s, kind="mergesort")
        iou = box_iou(boxes[order], gt)  # (D, G)
        free = np.ones(len(gt), dtype=bool)
        for d in range(len(order)):
            candidates = np.where(free & (iou[d] >= iou_threshold), iou[d], -1.0)  # (G,)
            hit = len(gt) > 0 and candidates.max() >= 0
            if hit:
                free[candidates.argmax()] = False
            hits.append(hit)
        scores.append(s[order])
    n_gt = sum(len(g) for g in gt_boxes)
    if not hits:  # no detections at all: precision 0 at every recall point
        return 0.0
    ranked = np.argsort(-np.concatenate(scores), kind="mergesort")
    tp = np.cumsum(np.array(hits, dtype=bool)[ranked])  # (D,) hits so far
    fp = np.cumsum(~np.array(hits, dtype=bool)[ranked])  # (D,) misses so far
    recall = tp / n_gt
    precision = tp / (tp + fp + np.spacing(1))
    precision = np.maximum.accumulate(precision[::-1])[::-1]  # best precision at >= recall
    points = np.linspace(0.0, 1.0, 101)
    idx = np.searchsorted(recall, points, side="left")  # (101,)
    sampled = np.where(idx < len(precision), precision[np.minimum(idx, len(precision) - 1)], 0.0)
    return float(sampled.mean())
