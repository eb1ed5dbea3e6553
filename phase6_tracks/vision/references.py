"""The library side of every comparison: pycocotools, torchmetrics and scikit-learn.

Imported only by parity.py, bench.py, the demo's comparison table and the tests; the
milestone's own code never calls these libraries.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np

from .boxes import xyxy_to_xywh
from .coco_map import Detections, GroundTruth


def coco_box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of x0, y0, x1, y1 boxes by `pycocotools.mask.iou` (no crowd boxes)."""
    from pycocotools import mask as mask_utils

    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    out = mask_utils.iou(xyxy_to_xywh(a).tolist(), xyxy_to_xywh(b).tolist(), [0] * len(b))
    return np.asarray(out, dtype=np.float64).reshape(len(a), len(b))


def coco_mask_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of (N, H, W) and (M, H, W) boolean masks by pycocotools' RLE IoU."""
    from pycocotools import mask as mask_utils

    def rle(m: np.ndarray) -> list[Any]:
        return mask_utils.encode(np.asfortranarray(m.transpose(1, 2, 0).astype(np.uint8)))

    out = mask_utils.iou(rle(a), rle(b), [0] * len(b))
    return np.asarray(out, dtype=np.float64).reshape(len(a), len(b))


def cocoeval_map(gts: list[GroundTruth], dets: list[Detections]) -> dict[str, Any]:
    """pycocotools COCOeval (bbox) on the same data: mAP, mAP@0.5, mAP@0.75, precision."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    classes = sorted(
        {int(c) for g in gts for c in g.labels} | {int(c) for d in dets for c in d.labels}
    )
    images: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for i, gt in enumerate(gts):
        images.append({"id": i + 1, "width": 1000, "height": 1000})
        for box, label in zip(xyxy_to_xywh(gt.boxes), gt.labels, strict=True):
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": i + 1,
                    "category_id": int(label) + 1,
                    "bbox": box.tolist(),
                    "area": float(box[2] * box[3]),
                    "iscrowd": 0,
                }
            )
    results = [
        {"image_id": i + 1, "category_id": int(c) + 1, "bbox": b.tolist(), "score": float(s)}
        for i, dt in enumerate(dets)
        for b, s, c in zip(xyxy_to_xywh(dt.boxes), dt.scores, dt.labels, strict=True)
    ]
    with contextlib.redirect_stdout(io.StringIO()):  # COCO prints progress lines
        coco = COCO()
        coco.dataset = {
            "images": images,
            "annotations": annotations,
            "categories": [{"id": c + 1, "name": str(c)} for c in classes],
        }
        coco.createIndex()
        ev = COCOeval(coco, coco.loadRes(results), "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    # precision is (T, R, K, area, maxDets); area "all" and maxDets 100 are index 0 and -1.
    precision = ev.eval["precision"][:, :, :, 0, -1]
    return {
        "map": float(ev.stats[0]),
        "map50": float(ev.stats[1]),
        "map75": float(ev.stats[2]),
        "precision": precision,
    }


def torchmetrics_segmentation(pred: np.ndarray, target: np.ndarray, n_classes: int) -> dict:
    """Per-class IoU and Dice, pixel accuracy and mean IoU of class maps by torchmetrics."""
    import torch
    from torchmetrics.classification import MulticlassAccuracy, MulticlassJaccardIndex
    from torchmetrics.segmentation import DiceScore

    p, t = torch.as_tensor(pred).long(), torch.as_tensor(target).long()
    iou = MulticlassJaccardIndex(n_classes, average="none")(p, t)
    macro = MulticlassJaccardIndex(n_classes, average="macro")(p, t)
    acc = MulticlassAccuracy(n_classes, average="micro", multidim_average="global")(p, t)
    dice = DiceScore(n_classes, average="none", input_format="index", aggregation_level="global")(
        p, t
    )
    return {
        "iou": iou.double().numpy(),
        "mean_iou": float(macro),
        "pixel_accuracy": float(acc),
        "dice": dice.double().numpy(),
    }


def sklearn_confusion(pred: np.ndarray, target: np.ndarray, n_classes: int) -> np.ndarray:
    """(K, K) confusion matrix, rows true class, by scikit-learn."""
    from sklearn.metrics import confusion_matrix

    return confusion_matrix(target.ravel(), pred.ravel(), labels=list(range(n_classes)))
