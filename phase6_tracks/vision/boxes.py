"""Box utilities in NumPy: area, IoU, GIoU, mask IoU, Faster R-CNN box deltas, anchors.

Boxes are (N, 4) arrays of x0, y0, x1, y1 (pixel edges, x1 >= x0). A box with no area
(x1 == x0 or y1 == y0) overlaps nothing: its IoU with any box is 0, as in pycocotools.
"""

from __future__ import annotations

import math

import numpy as np

# Faster R-CNN's delta weights (x, y, w, h) and the clamp on log-size deltas before exp,
# log(1000 / 16): a size delta can grow a box at most 62.5x, so exp never overflows.
DELTA_WEIGHTS = (10.0, 10.0, 5.0, 5.0)
SIZE_DELTA_CLIP = math.log(1000.0 / 16)


def box_area(boxes: np.ndarray) -> np.ndarray:
    """(N,) areas of (N, 4) boxes."""
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) intersection over union of every box of `a` with every box of `b`."""
    inter, union = _inter_union(a, b)
    out = np.zeros_like(inter)
    # Only a positive intersection makes a positive IoU; this also keeps 0/0 away.
    np.divide(inter, union, out=out, where=inter > 0)
    return out


def generalized_box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) GIoU = IoU - (C - U) / C, C the smallest box enclosing both (Rezatofighi 2019).

    When C has no area (two zero-area boxes on one line or point) the penalty is taken as 0.
    """
    inter, union = _inter_union(a, b)
    iou = np.zeros_like(inter)
    np.divide(inter, union, out=iou, where=inter > 0)
    hull_w = np.maximum(a[:, None, 2], b[None, :, 2]) - np.minimum(a[:, None, 0], b[None, :, 0])
    hull_h = np.maximum(a[:, None, 3], b[None, :, 3]) - np.minimum(a[:, None, 1], b[None, :, 1])
    hull = hull_w * hull_h  # (N, M)
    penalty = np.zeros_like(hull)
    np.divide(hull - union, hull, out=penalty, where=hull > 0)
    return iou - penalty


def mask_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of (N, H, W) and (M, H, W) boolean masks; 0 where both are empty."""
    fa = a.reshape(len(a), -1).astype(np.float64)  # (N, H*W)
    fb = b.reshape(len(b), -1).astype(np.float64)
    inter = fa @ fb.T
    union = fa.sum(1)[:, None] + fb.sum(1)[None, :] - inter
    out = np.zeros_like(inter)
    np.divide(inter, union, out=out, where=inter > 0)
    return out


def encode(boxes: np.ndarray, anchors: np.ndarray, weights=DELTA_WEIGHTS) -> np.ndarray:
    """(N, 4) Faster R-CNN deltas (dx, dy, dw, dh) that move each anchor onto its box.

    dx = wx (x - xa) / wa, dw = ww log(w / wa), centres and sizes; same for y and h.
    """
    wa, ha, xa, ya = _centre_size(anchors)
    w, h, x, y = _centre_size(boxes)
    wx, wy, ww, wh = weights
    return np.stack(
        [wx * (x - xa) / wa, wy * (y - ya) / ha, ww * np.log(w / wa), wh * np.log(h / ha)],
        axis=1,
    )


def decode(deltas: np.ndarray, anchors: np.ndarray, weights=DELTA_WEIGHTS) -> np.ndarray:
    """(N, 4) boxes from deltas on anchors: the inverse of `encode` (size deltas clamped)."""
    wa, ha, xa, ya = _centre_size(anchors)
    wx, wy, ww, wh = weights
    x = deltas[:, 0] / wx * wa + xa
    y = deltas[:, 1] / wy * ha + ya
    w = np.exp(np.minimum(deltas[:, 2] / ww, SIZE_DELTA_CLIP)) * wa
    h = np.exp(np.minimum(deltas[:, 3] / wh, SIZE_DELTA_CLIP)) * ha
    return np.stack([x - 0.5 * w, y - 0.5 * h, x + 0.5 * w, y + 0.5 * h], axis=1)


def anchors(
    grid: tuple[int, int], stride: float, sizes: tuple[float, ...], ratios: tuple[float, ...]
) -> np.ndarray:
    """(H * W * A, 4) anchors centred on each cell of an (H, W) feature map, A = |sizes||ratios|.

    Order: row, then column, then ratio, then size. An anchor of size s and ratio r (h / w)
    has w = s / sqrt(r), h = s * sqrt(r), so its area is s^2 whatever the ratio.
    """
    r = np.sqrt(np.asarray(ratios, dtype=np.float64))[:, None]  # (R, 1)
    s = np.asarray(sizes, dtype=np.float64)[None, :]  # (1, S)
    half = np.stack([(s / r).ravel(), (s * r).ravel()], axis=1) / 2  # (A, 2) half w, half h
    cy, cx = np.meshgrid(
        (np.arange(grid[0]) + 0.5) * stride, (np.arange(grid[1]) + 0.5) * stride, indexing="ij"
    )
    centres = np.stack([cx.ravel(), cy.ravel()], axis=1)[:, None, :]  # (H*W, 1, 2)
    return np.concatenate([centres - half, centres + half], axis=2).reshape(-1, 4)


def xyxy_to_xywh(boxes: np.ndarray) -> np.ndarray:
    """(N, 4) x, y, width, height (COCO's box format) of x0, y0, x1, y1 boxes."""
    return np.concatenate([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], axis=1)


def _inter_union(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N, M) intersection areas (0 if disjoint) and union areas."""
    # One (N, M) array per coordinate: broadcasting (N, 1, 2) against (1, M, 2) instead
    # runs NumPy's slow path for a length-2 last axis, about 20x slower at N = M = 300.
    iw = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    ih = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(iw, 0, None) * np.clip(ih, 0, None)
    return inter, box_area(a)[:, None] + box_area(b)[None, :] - inter


def _centre_size(boxes: np.ndarray) -> tuple[np.ndarray, ...]:
    """Widths, heights, centre x and centre y of (N, 4) boxes."""
    w = boxes[:, 2] - boxes[:, 0]
    h = boxes[:, 3] - boxes[:, 1]
    return w, h, boxes[:, 0] + 0.5 * w, boxes[:, 1] + 0.5 * h
