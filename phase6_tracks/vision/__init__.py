"""Detection and segmentation: box ops, NMS and COCO mAP from scratch vs pycocotools; a
CenterNet-style detector and a U-Net trained on generated scenes; metrics vs torchmetrics."""
