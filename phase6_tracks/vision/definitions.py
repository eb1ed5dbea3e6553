"""Reference box ops where no installed library has them (torchvision does not import here).

Each is torch float64 code written line by line from the published definition, one pair of
boxes at a time, with no vectorisation: slow and obviously right. Used only by parity.py,
bench.py and the tests as the oracle for GIoU (Rezatofighi et al. 2019), the Faster R-CNN
box deltas (Girshick 2015; Ren et al. 2015), anchors, greedy NMS and Soft-NMS (Bodla et al.
2017, Algorithm 1).
"""

from __future__ import annotations

import math

import numpy as np
import torch


def pair_iou(a: torch.Tensor, b: torch.Tensor) -> float:
    """IoU of two boxes: area(A and B) / area(A or B); 0 when they share no area."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union)


def giou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) GIoU = IoU - |C minus (A or B)| / |C| pair by pair (0 penalty when |C| = 0)."""
    ta, tb = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    out = torch.zeros(len(ta), len(tb), dtype=torch.float64)
    for i, p in enumerate(ta):
        for j, q in enumerate(tb):
            iou = pair_iou(p, q)
            iw = torch.clamp(torch.minimum(p[2], q[2]) - torch.maximum(p[0], q[0]), min=0)
            ih = torch.clamp(torch.minimum(p[3], q[3]) - torch.maximum(p[1], q[1]), min=0)
            union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - iw * ih
            hull = (torch.maximum(p[2], q[2]) - torch.minimum(p[0], q[0])) * (
                torch.maximum(p[3], q[3]) - torch.minimum(p[1], q[1])
            )
            out[i, j] = iou - ((hull - union) / hull if hull > 0 else 0.0)
    return out.numpy()


def encode(boxes: np.ndarray, anchors: np.ndarray, weights: tuple[float, ...]) -> np.ndarray:
    """Faster R-CNN deltas, one box at a time: t = (w_x dx / w_a, ..., w_w log(w / w_a), ...)."""
    out = []
    for g, a in zip(torch.as_tensor(boxes), torch.as_tensor(anchors), strict=True):
        gw, gh = g[2] - g[0], g[3] - g[1]
        aw, ah = a[2] - a[0], a[3] - a[1]
        gx, gy = g[0] + gw / 2, g[1] + gh / 2
        ax, ay = a[0] + aw / 2, a[1] + ah / 2
        out.append(
            [
                weights[0] * (gx - ax) / aw,
                weights[1] * (gy - ay) / ah,
                weights[2] * torch.log(gw / aw),
                weights[3] * torch.log(gh / ah),
            ]
        )
    return torch.tensor(out, dtype=torch.float64).reshape(-1, 4).numpy()


def decode(
    deltas: np.ndarray, anchors: np.ndarray, weights: tuple[float, ...], clip: float
) -> np.ndarray:
    """Boxes from Faster R-CNN deltas one at a time; size deltas clamped at `clip` before exp."""
    out = []
    for t, a in zip(torch.as_tensor(deltas), torch.as_tensor(anchors), strict=True):
        aw, ah = a[2] - a[0], a[3] - a[1]
        cx = a[0] + aw / 2 + t[0] / weights[0] * aw
        cy = a[1] + ah / 2 + t[1] / weights[1] * ah
        w = torch.exp(torch.clamp(t[2] / weights[2], max=clip)) * aw
        h = torch.exp(torch.clamp(t[3] / weights[3], max=clip)) * ah
        out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float64).reshape(-1, 4).numpy()


def anchors(
    grid: tuple[int, int], stride: float, sizes: tuple[float, ...], ratios: tuple[float, ...]
) -> np.ndarray:
    """Anchors cell by cell: centre ((col + 1/2) s, (row + 1/2) s), w = s/sqrt(r), h = s*sqrt(r)."""
    out = []
    for row in range(grid[0]):
        for col in range(grid[1]):
            cx, cy = (col + 0.5) * stride, (row + 0.5) * stride
            for r in ratios:
                for s in sizes:
                    w, h = s / math.sqrt(r), s * math.sqrt(r)
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return np.array(out, dtype=np.float64).reshape(-1, 4)


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Greedy NMS: take the best remaining box, drop every box with IoU > thr with it, repeat."""
    b = torch.as_tensor(boxes, dtype=torch.float64)
    remaining = sorted(range(len(b)), key=lambda i: (-float(scores[i]), i))
    keep = []
    while remaining:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [i for i in remaining if pair_iou(b[best], b[i]) <= iou_threshold]
    return np.array(keep, dtype=np.int64)


def soft_nms(
    boxes: np.ndarray,
    scores: np.ndarray,
    method: str,
    iou_threshold: float,
    sigma: float,
    score_threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Soft-NMS, Algorithm 1: pick the max, rescale the rest by f(IoU), drop scores below thr."""
    b = torch.as_tensor(boxes, dtype=torch.float64)
    s = [float(x) for x in scores]
    remaining = [i for i in range(len(b)) if s[i] >= score_threshold]
    keep, kept = [], []
    while remaining:
        best = max(remaining, key=lambda i: (s[i], -i))  # equal scores: the lower index
        remaining.remove(best)
        keep.append(best)
        kept.append(s[best])
        for i in remaining:
            iou = pair_iou(b[best], b[i])
            if method == "linear":
                s[i] *= (1.0 - iou) if iou >= iou_threshold else 1.0
            else:
                s[i] *= math.exp(-(iou * iou) / sigma)
        remaining = [i for i in remaining if s[i] >= score_threshold]
    return np.array(keep, dtype=np.int64), np.array(kept, dtype=np.float64)
