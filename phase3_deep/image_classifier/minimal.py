"""The from-scratch pieces of an image classifier, one pixel and one sample at a time.

The idea only: bilinear resizing maps each output pixel's centre back into the input and
blends the four nearest input pixels by distance; the confusion matrix counts (true,
predicted) pairs; macro-F1 averages each class's harmonic mean of precision and recall.
Plain loops, no vectorisation, no random augmentations: `augment.py` and `metrics.py` do the
same with whole-tensor operations.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor


def resize_bilinear(img: Tensor, out_h: int, out_w: int) -> Tensor:
    """(C, H, W) -> (C, out_h, out_w), half-pixel centres (torch's align_corners=False).

    Output pixel i sits at source coordinate (i + 0.5) * H / out_h - 0.5 (clamped at 0);
    blend the two source rows around it, then the two source columns.
    Hint: with s the source coordinate, left = floor(s), right = min(left + 1, H - 1),
    weight of right = s - left.
    """
    _, h, w = img.shape
    out = torch.empty(img.shape[0], out_h, out_w, dtype=img.dtype)
    for i in range(out_h):
        sy = max((i + 0.5) * h / out_h - 0.5, 0.0)
        y0 = min(math.floor(sy), h - 1)
        y1, wy = min(y0 + 1, h - 1), sy - y0
        for j in range(out_w):
            sx = max((j + 0.5) * w / out_w - 0.5, 0.0)
            x0 = min(math.floor(sx), w - 1)
            x1, wx = min(x0 + 1, w - 1), sx - x0
            top = img[:, y0, x0] * (1 - wx) + img[:, y0, x1] * wx  # (C,)
            bottom = img[:, y1, x0] * (1 - wx) + img[:, y1, x1] * wx
            out[:, i, j] = top * (1 - wy) + bottom * wy
    return out


def confusion_matrix(y_true: list[int], y_pred: list[int], n_classes: int) -> list[list[int]]:
    """counts[t][p]: how many samples of true class t were predicted as p."""
    counts = [[0] * n_classes for _ in range(n_classes)]
    for t, p in zip(y_true, y_pred, strict=True):
        counts[t][p] += 1
    return counts


def macro_f1(y_true: list[int], y_pred: list[int], n_classes: int) -> float:
    """Mean over classes of 2 P R / (P + R), where a class's P or R with no samples is 0.

    Hint: for class c, true positives are counts[c][c], the column sum is everything
    predicted as c, the row sum everything truly c.
    """
    counts = confusion_matrix(y_true, y_pred, n_classes)
    f1s = []
    for c in range(n_classes):
        tp = counts[c][c]
        predicted = sum(counts[t][c] for t in range(n_classes))
        actual = sum(counts[c])
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(f1s) / n_classes
