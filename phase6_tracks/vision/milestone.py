from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase6_tracks.vision",
    title="Detection and segmentation: box ops, NMS, COCO mAP, a CenterNet-style detector, a U-Net",
    claim="IoU and mask IoU equal pycocotools; GIoU, box deltas, anchors, hard and soft NMS equal "
    "their published definitions; mAP@0.5 and mAP@[.5:.95] equal COCOeval; a tiny detector "
    "reaches held-out mAP@0.5 >= 0.9 and a U-Net mean IoU >= 0.85 on generated scenes; "
    "IoU, Dice and pixel accuracy equal torchmetrics",
    reference="pycocotools, torchmetrics, scikit-learn",
    demo="phase6_tracks.vision.demo:main",
    parity="phase6_tracks.vision.parity:checks",
    bench="phase6_tracks.vision.bench:run",
    requirements=(
        "numpy",
        "torch==2.13.0",
        "pycocotools",
        "torchmetrics",
        "scikit-learn",
        "matplotlib",
        "hypothesis",
    ),
    local_deps=(),
    exercises=("box_iou", "nms", "average_precision"),
)
