"""Segmentation metrics from one confusion matrix: per-class IoU and Dice, pixel accuracy.

A class that appears in neither the prediction nor the target has no IoU or Dice (NaN
here) and is left out of the means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SegScores:
    """Per-class IoU and Dice (NaN for absent classes), their means, and pixel accuracy."""

    iou: np.ndarray
    dice: np.ndarray
    mean_iou: float
    mean_dice: float
    pixel_accuracy: float


def confusion_matrix(pred: np.ndarray, target: np.ndarray, n_classes: int) -> np.ndarray:
    """(K, K) counts: row = true class, column = predicted class, over all pixels."""
    t, p = target.ravel().astype(np.int64), pred.ravel().astype(np.int64)
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= n_classes):
        raise ValueError(f"class ids must lie in [0, {n_classes})")
    return np.bincount(t * n_classes + p, minlength=n_classes * n_classes).reshape(
        n_classes, n_classes
    )


def scores(pred: np.ndarray, target: np.ndarray, n_classes: int) -> SegScores:
    """IoU = TP / (TP + FP + FN), Dice = 2 TP / (2 TP + FP + FN), accuracy = trace / total."""
    cm = confusion_matrix(pred, target, n_classes).astype(np.float64)
    tp = np.diag(cm)
    fn = cm.sum(1) - tp  # true class c, predicted something else
    fp = cm.sum(0) - tp  # predicted c, truly something else
    present = tp + fp + fn > 0
    iou = np.full(n_classes, np.nan)
    dice = np.full(n_classes, np.nan)
    iou[present] = tp[present] / (tp + fp + fn)[present]
    dice[present] = 2 * tp[present] / (2 * tp + fp + fn)[present]
    return SegScores(
        iou=iou,
        dice=dice,
        mean_iou=float(iou[present].mean()) if present.any() else float("nan"),
        mean_dice=float(dice[present].mean()) if present.any() else float("nan"),
        pixel_accuracy=float(tp.sum() / cm.sum()) if cm.sum() else float("nan"),
    )
