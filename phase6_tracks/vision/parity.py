"""Parity checks: box ops and NMS vs pycocotools and the published definitions, mAP vs
COCOeval, segmentation metrics vs torchmetrics and scikit-learn, minimal vs full version."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from phase0_env.common.outputs import committed_docs
from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version
from phase6_tracks.common.scenes import make_scenes

from . import boxes as B
from . import definitions as D
from . import minimal
from . import nms as N
from . import references as R
from .coco_map import coco_map
from .seg_metrics import confusion_matrix, scores
from .synthetic import detection_problem, random_boxes

RESULTS = committed_docs(Path(__file__).parent, "results.json")
DEFINITION = "published definition (torch float64, pair by pair)"


def checks() -> list[ParityResult]:
    """Every check, on seeded data, in well under 30 s."""
    return [*box_checks(), *nms_checks(), *map_checks(), *seg_checks(), *result_checks()]


def box_checks() -> list[ParityResult]:
    """IoU and mask IoU vs pycocotools; GIoU, deltas and anchors vs their definitions."""
    rng = np.random.default_rng(0)
    a, b = random_boxes(rng, 60, degenerate=True), random_boxes(rng, 50, degenerate=True)
    coco = reference_version("pycocotools")
    masks = np.concatenate([s.masks for s in make_scenes(6, seed=3)])
    shifted = np.roll(masks, 2, axis=2)  # overlapping but different masks
    anchors = B.anchors((4, 5), 8.0, (16.0, 32.0), (0.5, 1.0, 2.0))
    truth = random_boxes(rng, len(anchors))
    deltas = B.encode(truth, anchors)
    wild = deltas.copy()
    wild[:5, 2:] = 40.0  # 40 / 5 = 8 > log(1000 / 16): past the clamp
    w, clip = B.DELTA_WEIGHTS, B.SIZE_DELTA_CLIP
    return [
        # x0, y0, x1, y1 -> x, y, w, h -> x + w rounds once per box: float64 rtol 1e-12.
        compare(
            "box IoU, 60x50 boxes incl. degenerate",
            B.box_iou(a, b),
            R.coco_box_iou(a, b),
            reference=coco,
            rtol=1e-12,
            atol=1e-15,
        ),
        compare(
            "mask IoU, scene masks vs shifted copies",
            B.mask_iou(masks, shifted),
            R.coco_mask_iou(masks, shifted),
            reference=coco,
            rtol=1e-12,
        ),
        compare(
            "GIoU, 60x50 boxes incl. degenerate",
            B.generalized_box_iou(a, b),
            D.giou(a, b),
            reference=DEFINITION,
            rtol=1e-12,
            atol=1e-15,
        ),
        compare(
            "anchors, 4x5 grid, 2 sizes x 3 ratios",
            anchors,
            D.anchors((4, 5), 8.0, (16.0, 32.0), (0.5, 1.0, 2.0)),
            reference=DEFINITION,
        ),
        compare(
            "box encode (Faster R-CNN deltas)",
            deltas,
            D.encode(truth, anchors, w),
            reference=DEFINITION,
            rtol=1e-12,
            atol=1e-12,
        ),
        compare(
            "box decode, size deltas past the clamp",
            B.decode(wild, anchors),
            D.decode(wild, anchors, w, clip),
            reference=DEFINITION,
            rtol=1e-12,
        ),
        compare(
            "decode(encode(boxes)) returns the boxes",
            B.decode(deltas, anchors),
            truth,
            reference="identity",
            rtol=1e-12,
            atol=1e-12,
        ),
        compare(
            "minimal box_iou = full box_iou",
            minimal.box_iou(a, b),
            B.box_iou(a, b),
            reference="full version",
            rtol=1e-15,
        ),
    ]


def nms_checks() -> list[ParityResult]:
    """Hard, per-class and soft NMS (linear, Gaussian) vs the definitions, on tied scores."""
    rng = np.random.default_rng(1)
    boxes = random_boxes(rng, 150, degenerate=True)
    s = np.round(rng.random(150) * 10) / 10  # ten score levels: many ties
    cls = rng.integers(0, 3, size=150)
    out = []
    for thr in (0.3, 0.5, 0.7):
        out.append(
            compare(
                f"NMS kept indices, IoU > {thr}",
                N.nms(boxes, s, thr),
                D.nms(boxes, s, thr),
                reference=DEFINITION,
                exact=True,
            )
        )
    per_class = np.concatenate(
        [np.flatnonzero(cls == c)[D.nms(boxes[cls == c], s[cls == c], 0.5)] for c in range(3)]
    )
    ours = N.batched_nms(boxes, s, cls, 0.5)
    out.append(
        compare(
            "per-class NMS keeps each class's NMS",
            np.sort(ours),
            np.sort(per_class),
            reference=DEFINITION,
            exact=True,
        )
    )
    for method in ("linear", "gaussian"):
        keep, kept = N.soft_nms(boxes, s, method, 0.3, 0.5, 0.001)
        ref_keep, ref_kept = D.soft_nms(boxes, s, method, 0.3, 0.5, 0.001)
        out.append(
            compare(
                f"soft-NMS ({method}) pick order", keep, ref_keep, reference=DEFINITION, exact=True
            )
        )
        out.append(
            compare(
                f"soft-NMS ({method}) decayed scores",
                kept,
                ref_kept,
                reference=DEFINITION,
                rtol=1e-12,
            )
        )
    out.append(
        compare(
            "minimal nms = full nms, IoU > 0.5",
            minimal.nms(boxes, s, 0.5),
            N.nms(boxes, s, 0.5),
            reference="full version",
            exact=True,
        )
    )
    return out


def map_checks() -> list[ParityResult]:
    """Our COCO mAP vs COCOeval on generated predictions, plain and crowded."""
    ref_name = reference_version("pycocotools")
    out = []
    for crowded, seed in ((False, 0), (True, 1)):
        gts, dets = detection_problem(150, 5, seed=seed, crowded=crowded)
        ours, ref = coco_map(gts, dets), R.cocoeval_map(gts, dets)
        kind = "crowded" if crowded else "plain"
        for key in ("map", "map50", "map75"):
            out.append(
                compare(
                    f"{key} ({kind}, 150 images, 5 classes)",
                    getattr(ours, key),
                    ref[key],
                    reference=ref_name,
                    rtol=1e-12,
                )
            )
        out.append(
            compare(
                f"precision table T x 101 x K ({kind})",
                ours.precision,
                ref["precision"],
                reference=ref_name,
                atol=1e-12,
            )
        )
    gts, dets = detection_problem(60, 1, seed=2)
    for t, key in ((0.5, "map50"), (0.75, "map75")):
        mini = minimal.average_precision(
            [g.boxes for g in gts], [d.boxes for d in dets], [d.scores for d in dets], t
        )
        out.append(
            compare(
                f"minimal average_precision at IoU {t}, 1 class",
                mini,
                R.cocoeval_map(gts, dets)[key],
                reference=ref_name,
                rtol=1e-12,
            )
        )
    return out


def seg_checks() -> list[ParityResult]:
    """IoU, Dice, pixel accuracy vs torchmetrics; the confusion matrix vs scikit-learn."""
    rng = np.random.default_rng(4)
    target = np.stack([s.semantic for s in make_scenes(8, seed=5)])
    noise = rng.integers(0, 5, size=target.shape)
    pred = np.where(rng.random(target.shape) < 0.9, target, noise)
    ours, ref = scores(pred, target, 5), R.torchmetrics_segmentation(pred, target, 5)
    tm = reference_version("torchmetrics")
    return [  # torchmetrics returns float32: rtol 1e-6
        compare("per-class IoU", ours.iou, ref["iou"], reference=tm, rtol=1e-6),
        compare("mean IoU", ours.mean_iou, ref["mean_iou"], reference=tm, rtol=1e-6),
        compare("per-class Dice", ours.dice, ref["dice"], reference=tm, rtol=1e-6),
        compare(
            "pixel accuracy", ours.pixel_accuracy, ref["pixel_accuracy"], reference=tm, rtol=1e-6
        ),
        compare(
            "confusion matrix",
            confusion_matrix(pred, target, 5),
            R.sklearn_confusion(pred, target, 5),
            reference=reference_version("scikit-learn"),
            exact=True,
        ),
    ]


def result_checks() -> list[ParityResult]:
    """The committed full training runs (docs/results.json) meet the stated targets."""
    if not RESULTS.exists():
        return [behaviour("committed training results exist", False, f"{RESULTS} missing")]
    res = json.loads(RESULTS.read_text())
    det, seg = res["detector"]["val"], res["segmenter"]["val"]
    return [
        behaviour(
            "detector: held-out mAP@0.5 >= 0.9",
            det["map50"] >= 0.9,
            f"mAP@0.5 {det['map50']:.3f}, mAP@[.5:.95] {det['map']:.3f}",
        ),
        behaviour(
            "U-Net: held-out mean IoU >= 0.85",
            seg["mean_iou"] >= 0.85,
            f"mean IoU {seg['mean_iou']:.3f}, pixel accuracy {seg['pixel_accuracy']:.4f}",
        ),
    ]
