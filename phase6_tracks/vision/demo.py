"""Demo: box ops, NMS and COCO mAP beside pycocotools on generated predictions, then the
detector and the U-Net trained on generated scenes (quick: both trained on a smaller problem,
beside the full run's committed figures; full: the real runs, with figures and results.json,
rewritten in docs/ only with --write-docs)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from phase0_env.common.outputs import committed_docs, study_output
from phase6_tracks.common.scenes import CLASSES, make_scenes

from . import boxes as B
from . import nms as N
from . import references as R
from .coco_map import GroundTruth, coco_map
from .seg_metrics import scores
from .synthetic import detection_problem, random_boxes
from .train_detector import QUICK_DETECTOR, DetectorTraining, predict, scenes_of, train_detector
from .train_segmenter import N_SEG_CLASSES, QUICK_SEGMENTER, SegmenterTraining, train_segmenter
from .train_segmenter import predict as predict_masks

HERE = Path(__file__).resolve().parent


def main(quick: bool = False) -> None:
    """Print each comparison as a small table; full mode trains both models for real."""
    torch.set_num_threads(1)
    _box_ops()
    _map_table()
    if quick:
        _quick_training()
    else:
        _full_training()


def _box_ops() -> None:
    rng = np.random.default_rng(0)
    a = random_boxes(rng, 200, degenerate=True)
    s = np.round(rng.random(200) * 10) / 10
    err = np.abs(B.box_iou(a, a) - R.coco_box_iou(a, a)).max()
    print("== box ops, 200 boxes incl. zero-area and duplicates ==")
    print(f"  IoU vs pycocotools.mask.iou: max |diff| {err:.1e}")
    for thr in (0.3, 0.5, 0.7):
        print(f"  NMS IoU > {thr}: keeps {len(N.nms(a, s, thr))} of 200")
    for method in ("linear", "gaussian"):
        keep, kept = N.soft_nms(a, s, method)
        print(
            f"  soft-NMS {method:8s}: keeps {len(keep)} (scores >= 0.001), "
            f"lowest kept score {kept.min():.4f}"
        )


def _map_table() -> None:
    print("\n== COCO mAP on generated predictions: ours vs COCOeval ==")
    print(f"  {'data':<28} {'ours mAP':>9} {'COCOeval':>9} {'ours @.5':>9} {'COCOeval':>9}")
    for crowded in (False, True):
        gts, dets = detection_problem(300, 5, seed=7, crowded=crowded)
        ours, ref = coco_map(gts, dets), R.cocoeval_map(gts, dets)
        name = f"300 images{', crowded' if crowded else ''}"
        print(
            f"  {name:<28} {ours.map:9.6f} {ref['map']:9.6f} {ours.map50:9.6f} {ref['map50']:9.6f}"
        )


def _quick_training() -> None:
    """Both models trained for real on a smaller problem, beside the full run's figures."""
    d, g = QUICK_DETECTOR, QUICK_SEGMENTER
    print(
        f"\n== quick training on a smaller problem: {d.size} x {d.size} scenes of "
        f"1-{d.max_objects} objects {d.sides[0]}-{d.sides[1]} px, all {len(CLASSES)} classes =="
    )
    t = time.process_time()
    det = train_detector(d)
    det_s = time.process_time() - t
    val = scenes_of(d, d.n_val, d.seed + 2)  # the run's held-out scenes (another seed)
    gts = [GroundTruth(s.boxes, s.labels) for s in val]
    dets = predict(det.model, val)
    ours, ref = coco_map(gts, dets), R.cocoeval_map(gts, dets)
    print(
        f"  detector ({_n_params(det.model) / 1e3:.0f} k parameters, {d.steps} steps on "
        f"{d.n_train} scenes): loss {np.mean(det.losses[:5]):.2f} -> "
        f"{np.mean(det.losses[-5:]):.2f}; {det_s:.1f} CPU s\n"
        f"    held-out ({d.n_val} scenes): mAP@0.5 {ours.map50:.3f} (COCOeval {ref['map50']:.3f}), "
        f"mAP@[.5:.95] {ours.map:.3f} (COCOeval {ref['map']:.3f})"
    )
    t = time.process_time()
    seg = train_segmenter(g)
    seg_s = time.process_time() - t
    assert seg.val is not None  # a run that is not stopped early ends with an evaluation
    per_class = ", ".join(
        f"{n} {v:.2f}" for n, v in zip(("background", *CLASSES), seg.val.iou, strict=True)
    )
    print(
        f"  U-Net ({_n_params(seg.model) / 1e3:.0f} k parameters, {g.steps} steps on "
        f"{g.n_train} scenes): loss {np.mean(seg.losses[:5]):.2f} -> "
        f"{np.mean(seg.losses[-5:]):.2f}; {seg_s:.1f} CPU s\n"
        f"    held-out ({g.n_val} scenes): mean IoU {seg.val.mean_iou:.3f}, pixel accuracy "
        f"{seg.val.pixel_accuracy:.4f}; IoU {per_class}"
    )
    full = json.loads(committed_docs(HERE, "results.json").read_text())
    fd, fs = full["detector"], full["segmenter"]
    fdc, fsc = DetectorTraining(**fd["config"]), SegmenterTraining(**fs["config"])
    print(
        f"  the full run (committed docs/results.json, not run now; {fdc.size} x {fdc.size} "
        f"scenes of 1-{fdc.max_objects} objects):\n"
        f"    detector {fdc.steps} steps on {fdc.n_train} scenes: held-out mAP@0.5 "
        f"{fd['val']['map50']:.3f}, mAP@[.5:.95] {fd['val']['map']:.3f}; U-Net {fsc.steps} "
        f"steps on {fsc.n_train} scenes: mean IoU {fs['val']['mean_iou']:.3f}\n"
        "    (`roadmap run phase6_tracks.vision` trains both, a few CPU minutes)"
    )


def _n_params(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _full_training() -> None:
    from .figures import detection_figure, segmentation_figure

    print("\n== detector: CenterNet-style, trained on generated scenes ==")
    t = time.perf_counter()
    det_cfg = DetectorTraining()
    det = train_detector(det_cfg, log=True)
    det_s = time.perf_counter() - t
    val = make_scenes(det_cfg.n_val, seed=det_cfg.seed + 2)
    dets = predict(det.model, val)
    ref = R.cocoeval_map([GroundTruth(s.boxes, s.labels) for s in val], dets)
    ours = coco_map([GroundTruth(s.boxes, s.labels) for s in val], dets)
    print(
        f"  held-out ({len(val)} scenes): mAP@0.5 ours {ours.map50:.4f} COCOeval "
        f"{ref['map50']:.4f}; mAP@[.5:.95] ours {ours.map:.4f} COCOeval {ref['map']:.4f}; "
        f"{det_s:.0f} s"
    )
    detection_figure(det.losses, det.curve, val[:6], dets[:6], study_output(HERE, "detector.png"))

    print("\n== U-Net semantic segmentation, trained on generated scenes ==")
    t = time.perf_counter()
    seg_cfg = SegmenterTraining()
    seg = train_segmenter(seg_cfg, log=True)
    seg_s = time.perf_counter() - t
    sval = make_scenes(seg_cfg.n_val, seed=seg_cfg.seed + 2)
    pred = predict_masks(seg.model, sval)
    target = np.stack([s.semantic for s in sval])
    mine, tm = (
        scores(pred, target, N_SEG_CLASSES),
        R.torchmetrics_segmentation(pred, target, N_SEG_CLASSES),
    )
    print(
        f"  held-out ({len(sval)} scenes): mean IoU ours {mine.mean_iou:.4f} torchmetrics "
        f"{tm['mean_iou']:.4f}; pixel acc ours {mine.pixel_accuracy:.4f} torchmetrics "
        f"{tm['pixel_accuracy']:.4f}; {seg_s:.0f} s"
    )
    segmentation_figure(
        seg.losses, seg.curve, sval[:6], pred[:6], study_output(HERE, "segmentation.png")
    )
    results = {
        "torch": torch.__version__,
        "detector": {
            "config": asdict(det_cfg),
            "train_seconds": round(det_s, 1),
            "first_losses": det.losses[:5],
            "curve": det.curve,
            "val": {
                "map50": ours.map50,
                "map": ours.map,
                "map75": ours.map75,
                "per_class": {CLASSES[k]: v for k, v in ours.per_class.items()},
                "cocoeval_map50": ref["map50"],
                "cocoeval_map": ref["map"],
            },
        },
        "segmenter": {
            "config": asdict(seg_cfg),
            "train_seconds": round(seg_s, 1),
            "first_losses": seg.losses[:5],
            "curve": seg.curve,
            "val": {
                "mean_iou": mine.mean_iou,
                "pixel_accuracy": mine.pixel_accuracy,
                "mean_dice": mine.mean_dice,
                "iou": dict(zip(("background", *CLASSES), mine.iou.tolist(), strict=True)),
                "torchmetrics_mean_iou": tm["mean_iou"],
            },
        },
    }
    path = study_output(HERE, "results.json")
    path.write_text(json.dumps(results, indent=2) + "\n")
    study_output(HERE, "results.md").write_text(results_markdown(results))
    print(f"\nfigures and results written to {path.parent}")


def results_markdown(results: dict) -> str:
    """The held-out figures of both runs as two Markdown tables (docs/results.md)."""
    det, seg = results["detector"], results["segmenter"]
    dv, sv = det["val"], seg["val"]
    lines = [
        "# Held-out results (written by `roadmap run phase6_tracks.vision --write-docs`)",
        "",
        f"Detector: {det['config']['steps']} steps, {det['config']['n_train']} training "
        f"scenes, {det['config']['n_val']} held-out scenes, {det['train_seconds']:.0f} s "
        f"(torch {results['torch']}, one thread).",
        "",
        "| class | AP@[.5:.95] |",
        "|---|---|",
        *[f"| {name} | {ap:.3f} |" for name, ap in dv["per_class"].items()],
        f"| **mAP@[.5:.95]** (COCOeval) | **{dv['map']:.4f}** ({dv['cocoeval_map']:.4f}) |",
        f"| **mAP@0.5** (COCOeval) | **{dv['map50']:.4f}** ({dv['cocoeval_map50']:.4f}) |",
        f"| mAP@0.75 | {dv['map75']:.4f} |",
        "",
        f"U-Net: {seg['config']['steps']} steps, {seg['config']['n_train']} training scenes, "
        f"{seg['config']['n_val']} held-out scenes, {seg['train_seconds']:.0f} s.",
        "",
        "| class | IoU |",
        "|---|---|",
        *[f"| {name} | {iou:.3f} |" for name, iou in sv["iou"].items()],
        f"| **mean IoU** (torchmetrics) | **{sv['mean_iou']:.4f}** "
        f"({sv['torchmetrics_mean_iou']:.4f}) |",
        f"| mean Dice | {sv['mean_dice']:.4f} |",
        f"| pixel accuracy | {sv['pixel_accuracy']:.4f} |",
        "",
    ]
    return "\n".join(lines)
