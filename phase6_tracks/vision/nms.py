"""Non-maximum suppression in NumPy: hard (greedy) and soft (linear and Gaussian decay).

Ties in score are broken by index (the earlier box wins), so results are reproducible.
"""

from __future__ import annotations

import numpy as np

from .boxes import box_iou


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Indices of the boxes kept, best score first: each suppresses later ones with IoU > thr."""
    order = np.argsort(-scores, kind="stable")
    # One (N, N) IoU matrix up front, then a cheap boolean sweep: the quadratic work is
    # vectorised once instead of one IoU row per kept box (bench.py measures the trade).
    iou = box_iou(boxes[order], boxes[order])
    alive = np.ones(len(order), dtype=bool)
    keep = []
    for i in range(len(order)):
        if not alive[i]:
            continue
        keep.append(order[i])
        alive[i + 1 :] &= iou[i, i + 1 :] <= iou_threshold
    return np.array(keep, dtype=np.int64)


def batched_nms(
    boxes: np.ndarray, scores: np.ndarray, classes: np.ndarray, iou_threshold: float
) -> np.ndarray:
    """`nms` within each class: boxes of different classes never suppress each other."""
    if len(boxes) == 0:
        return np.zeros(0, dtype=np.int64)
    # Shift each class into its own region of the plane so no two classes overlap.
    offset = classes[:, None] * (boxes.max() - boxes.min() + 1.0)
    return nms(boxes + offset, scores, iou_threshold)


def soft_nms(
    boxes: np.ndarray,
    scores: np.ndarray,
    method: str = "gaussian",
    iou_threshold: float = 0.3,
    sigma: float = 0.5,
    score_threshold: float = 0.001,
) -> tuple[np.ndarray, np.ndarray]:
    """Soft-NMS (Bodla et al. 2017): kept indices in pick order and their decayed scores.

    Each step picks the highest current score; every remaining box's score is multiplied by
    (1 - IoU) if IoU >= `iou_threshold` ("linear") or by exp(-IoU^2 / sigma) ("gaussian");
    boxes whose score falls below `score_threshold` are dropped.
    """
    if method not in ("linear", "gaussian"):
        raise ValueError(f"method must be 'linear' or 'gaussian', got {method!r}")
    iou = box_iou(boxes, boxes)
    current = scores.astype(np.float64).copy()
    left = np.flatnonzero(current >= score_threshold)
    keep, kept_scores = [], []
    while len(left):
        best = left[np.argmax(current[left])]  # argmax takes the first of equal scores
        keep.append(best)
        kept_scores.append(current[best])
        left = left[left != best]
        overlap = iou[best, left]
        if method == "linear":
            decay = np.where(overlap >= iou_threshold, 1.0 - overlap, 1.0)
        else:
            decay = np.exp(-(overlap * overlap) / sigma)
        current[left] *= decay
        left = left[current[left] >= score_threshold]
    return np.array(keep, dtype=np.int64), np.array(kept_scores, dtype=np.float64)
