"""A small single-stage detector in the CenterNet style (Zhou et al. 2019, "Objects as Points").

A tiny CNN maps a (3, H, W) image to an (H/4, W/4) grid; per cell it predicts one heatmap
logit per class (is an object's centre here?), the centre's sub-cell offset and the box
size. Decoding keeps heatmap peaks (a 3x3 max-pool stands in for NMS) and turns each into
a box; training is a focal loss on the heatmap plus L1 on offset and size at the centres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

STRIDE = 4
SIZE_SCALE = 16.0  # sizes are regressed in units of 16 pixels, so targets are near 1


@dataclass(frozen=True)
class DetectorConfig:
    """Width of the backbone and number of classes."""

    n_classes: int = 4
    width: int = 32


class TinyCenterNet(nn.Module):
    """Backbone (stride 4, dilated convs for a ~40-pixel receptive field) and one head."""

    def __init__(self, config: DetectorConfig) -> None:
        super().__init__()
        w = config.width
        # Downsample at once: full-resolution layers would cost most of the compute.
        self.backbone = nn.Sequential(
            _conv(3, w // 2, stride=2),
            _conv(w // 2, w),
            _conv(w, 2 * w, stride=2),
            _conv(2 * w, 2 * w, dilation=2),
            _conv(2 * w, 2 * w, dilation=4),
        )
        # One shared head: C heatmap logits, then offset x, y and size w, h.
        self.n_classes = config.n_classes
        self.head = nn.Sequential(
            nn.Conv2d(2 * w, 2 * w, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(2 * w, config.n_classes + 4, 1),
        )
        # Start every heatmap near 0.1 so the focal loss does not begin flooded by negatives.
        with torch.no_grad():
            self.head[-1].bias[: config.n_classes] = -2.19

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(B, 3, H, W) -> heat logits (B, C, h, w), offsets (B, 2, h, w), sizes (B, 2, h, w)."""
        out = self.head(self.backbone(x))
        c = self.n_classes
        return out[:, :c], out[:, c : c + 2], out[:, c + 2 :]


def targets(
    boxes: list[np.ndarray], labels: list[np.ndarray], n_classes: int, grid: int
) -> dict[str, torch.Tensor]:
    """Training targets of a batch: Gaussian heatmaps, and offset/size at each centre cell."""
    b = len(boxes)
    heat = np.zeros((b, n_classes, grid, grid), dtype=np.float32)
    reg = np.zeros((b, 4, grid, grid), dtype=np.float32)  # offset x, y; size w, h
    mask = np.zeros((b, 1, grid, grid), dtype=np.float32)
    yy, xx = np.mgrid[0:grid, 0:grid]
    for i, (bx, lb) in enumerate(zip(boxes, labels, strict=True)):
        for (x0, y0, x1, y1), c in zip(bx, lb, strict=True):
            cx, cy = (x0 + x1) / 2 / STRIDE, (y0 + y1) / 2 / STRIDE
            px, py = min(int(cx), grid - 1), min(int(cy), grid - 1)
            # Spread of the Gaussian: a sixth of the box in grid cells, as in CenterNet's
            # radius rule, but never below one cell so nearby cells are only softly negative.
            sigma = max(0.8, min(x1 - x0, y1 - y0) / STRIDE / 6)
            g = np.exp(-((xx - px) ** 2 + (yy - py) ** 2) / (2 * sigma**2))
            heat[i, c] = np.maximum(heat[i, c], g)
            reg[i, :, py, px] = (cx - px, cy - py, (x1 - x0) / SIZE_SCALE, (y1 - y0) / SIZE_SCALE)
            mask[i, 0, py, px] = 1.0
    return {
        "heat": torch.from_numpy(heat),
        "reg": torch.from_numpy(reg),
        "mask": torch.from_numpy(mask),
    }


def loss(
    out: tuple[torch.Tensor, torch.Tensor, torch.Tensor], target: dict[str, torch.Tensor]
) -> torch.Tensor:
    """CenterNet's penalty-reduced focal loss on the heatmap plus L1 on offset and size."""
    heat_logit, offset, size = out
    t, m = target["heat"], target["mask"]
    p = torch.sigmoid(heat_logit).clamp(1e-4, 1 - 1e-4)
    pos = t.eq(1.0).float()
    pos_loss = -(torch.log(p) * (1 - p) ** 2 * pos).sum()
    neg_loss = -(torch.log(1 - p) * p**2 * (1 - t) ** 4 * (1 - pos)).sum()
    n_pos = pos.sum().clamp(min=1.0)
    reg = torch.cat([offset, size], dim=1)
    l1 = (F.l1_loss(reg, target["reg"], reduction="none") * m).sum() / n_pos
    return (pos_loss + neg_loss) / n_pos + l1


@torch.no_grad()
def decode(
    out: tuple[torch.Tensor, torch.Tensor, torch.Tensor], top_k: int = 100
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per image: boxes (K, 4) x0, y0, x1, y1 in pixels, scores (K,), classes (K,)."""
    heat_logit, offset, size = out
    heat = torch.sigmoid(heat_logit)
    b, c, h, w = heat.shape
    peaks = heat * (F.max_pool2d(heat, 3, stride=1, padding=1) == heat)  # local maxima only
    scores, idx = peaks.reshape(b, -1).topk(min(top_k, c * h * w))  # (B, K) over C*h*w
    cls, cell = idx // (h * w), idx % (h * w)
    ys, xs = (cell // w).float(), (cell % w).float()
    off = offset.reshape(b, 2, -1).gather(2, cell[:, None, :].expand(-1, 2, -1))  # (B, 2, K)
    wh = size.reshape(b, 2, -1).gather(2, cell[:, None, :].expand(-1, 2, -1)) * SIZE_SCALE
    cx, cy = (xs + off[:, 0]) * STRIDE, (ys + off[:, 1]) * STRIDE
    boxes = torch.stack(
        [cx - wh[:, 0] / 2, cy - wh[:, 1] / 2, cx + wh[:, 0] / 2, cy + wh[:, 1] / 2], dim=2
    )
    return [
        (boxes[i].double().numpy(), scores[i].double().numpy(), cls[i].numpy()) for i in range(b)
    ]


def _conv(cin: int, cout: int, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    """3x3 convolution, batch norm, ReLU (padding keeps the size at stride 1)."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )
