"""COCO mean average precision from scratch: mAP@0.5, mAP@0.75 and mAP@[.5:.95].

It follows COCOeval's bbox protocol for area "all" and 100 detections per image, so it
returns COCOeval's numbers: per image and class, detections (best score first) greedily
take the unmatched ground-truth box of highest IoU >= t; then, per class and threshold,
precision is made non-increasing and read at 101 recall points (0, 0.01, ..., 1), 0 past
the highest recall reached; mAP is the mean over classes that have ground truth, recall
points and thresholds. Crowd annotations are not modelled (every ground-truth box counts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .boxes import xyxy_to_xywh

# The same grids COCOeval builds (np.linspace, so 0.6 is 0.6000000000000001 as there).
IOU_THRESHOLDS = np.linspace(0.5, 0.95, int(np.round((0.95 - 0.5) / 0.05)) + 1, endpoint=True)
RECALL_POINTS = np.linspace(0.0, 1.00, int(np.round((1.00 - 0.0) / 0.01)) + 1, endpoint=True)


@dataclass(frozen=True)
class GroundTruth:
    """One image's boxes (N, 4) x0, y0, x1, y1 and their classes (N,)."""

    boxes: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class Detections:
    """One image's predicted boxes (N, 4) x0, y0, x1, y1, scores (N,) and classes (N,)."""

    boxes: np.ndarray
    scores: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class MapResult:
    """mAP figures; -1 where no class has ground truth (COCOeval's convention)."""

    map: float  # mean over IoU 0.50:0.05:0.95
    map50: float
    map75: float
    per_class: dict[int, float]  # class -> AP over IoU 0.50:0.95, classes with ground truth
    precision: np.ndarray  # (T, 101, K) over classes in GT or detections; -1 for no GT


def coco_map(gts: list[GroundTruth], dets: list[Detections], max_dets: int = 100) -> MapResult:
    """COCO bbox mAP of `dets` against `gts` (lists aligned by image)."""
    if len(gts) != len(dets):
        raise ValueError(f"{len(gts)} ground-truth images but {len(dets)} detection images")
    with_gt = {int(c) for g in gts for c in g.labels}
    # Classes seen only in detections get a column of -1 (no recall without ground truth).
    classes = sorted(with_gt | {int(c) for d in dets for c in d.labels})
    precision = -np.ones((len(IOU_THRESHOLDS), len(RECALL_POINTS), len(classes)))
    for k, cls in enumerate(classes):
        if cls in with_gt:
            precision[:, :, k] = _class_precision(gts, dets, cls, max_dets)
    t50, t75 = 0, int(np.argmin(np.abs(IOU_THRESHOLDS - 0.75)))
    return MapResult(
        map=_mean_valid(precision),
        map50=_mean_valid(precision[t50]),
        map75=_mean_valid(precision[t75]),
        per_class={
            c: _mean_valid(precision[:, :, k]) for k, c in enumerate(classes) if c in with_gt
        },
        precision=precision,
    )


def coco_iou(dt: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """(D, G) IoU of x, y, w, h boxes computed as pycocotools does, operation for operation."""
    dx, dy, dw, dh = (dt[:, None, i] for i in range(4))
    gx, gy, gw, gh = (gt[None, :, i] for i in range(4))
    w = np.minimum(dw + dx, gw + gx) - np.maximum(dx, gx)
    h = np.minimum(dh + dy, gh + gy) - np.maximum(dy, gy)
    inter = w * h
    union = dw * dh + gw * gh - inter
    out = np.zeros(inter.shape)
    np.divide(inter, union, out=out, where=(w > 0) & (h > 0))
    return out


def _class_precision(
    gts: list[GroundTruth], dets: list[Detections], cls: int, max_dets: int
) -> np.ndarray:
    """(T, 101) interpolated precision of one class over all images."""
    scores, matched, n_gt = [], [], 0
    for gt, dt in zip(gts, dets, strict=True):
        g = xyxy_to_xywh(gt.boxes[gt.labels == cls])
        mine = dt.labels == cls
        order = np.argsort(-dt.scores[mine], kind="mergesort")[:max_dets]
        d = xyxy_to_xywh(dt.boxes[mine][order])
        n_gt += len(g)
        scores.append(dt.scores[mine][order])
        matched.append(_match(coco_iou(d, g)))
    all_scores = np.concatenate(scores)
    order = np.argsort(-all_scores, kind="mergesort")  # stable: image order breaks ties
    tp = np.concatenate(matched, axis=1)[:, order]  # (T, D) bool
    tp_sum = np.cumsum(tp, axis=1).astype(np.float64)
    fp_sum = np.cumsum(~tp, axis=1).astype(np.float64)
    out = np.zeros((len(IOU_THRESHOLDS), len(RECALL_POINTS)))
    for t in range(len(IOU_THRESHOLDS)):
        recall = tp_sum[t] / n_gt
        prec = tp_sum[t] / (fp_sum[t] + tp_sum[t] + np.spacing(1))
        prec = np.maximum.accumulate(prec[::-1])[::-1]  # the precision envelope
        idx = np.searchsorted(recall, RECALL_POINTS, side="left")
        reached = idx < len(prec)
        out[t, reached] = prec[idx[reached]]
    return out


def _match(iou: np.ndarray) -> np.ndarray:
    """(T, D) whether each detection (best first) matches an unmatched GT at each threshold.

    A detection takes the free ground truth of highest IoU >= t; on equal IoU the later
    ground truth wins, as in COCOeval's loop.
    """
    n_dt, n_gt = iou.shape
    thresholds = np.minimum(IOU_THRESHOLDS, 1 - 1e-10)[:, None]  # (T, 1)
    taken = np.zeros((len(thresholds), n_gt), dtype=bool)
    hit = np.zeros((len(thresholds), n_dt), dtype=bool)
    if n_gt == 0:
        return hit
    rows = np.arange(len(thresholds))
    for d in range(n_dt):
        ok = ~taken & (iou[d][None, :] >= thresholds)  # (T, G)
        cand = np.where(ok, iou[d][None, :], -1.0)
        best = n_gt - 1 - np.argmax(cand[:, ::-1], axis=1)  # the last of equal maxima
        found = ok.any(axis=1)
        hit[:, d] = found
        taken[rows[found], best[found]] = True
    return hit


def _mean_valid(precision: np.ndarray) -> float:
    """Mean over entries > -1 (classes without ground truth are -1), or -1 if none."""
    valid = precision[precision > -1]
    return float(valid.mean()) if valid.size else -1.0
