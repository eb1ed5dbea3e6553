"""Image augmentations on float tensors (C, H, W) in [0, 1], written with plain torch ops.

Every random transform takes an explicit `torch.Generator`, so one seed gives one augmented
image. Deterministic kernels (bilinear resize, flip, normalise) equal their torch counterparts
(`F.interpolate(mode="bilinear", align_corners=False)`, `torch.flip`, eval-mode batch norm).
Over `minimal.resize_bilinear` (one pixel per Python step), the resize here gathers whole
rows and columns at once: the same values, at tensor speed, for every training image.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

# ITU-R 601 luma, the weights PIL and torchvision use for greyscale.
LUMA = (0.299, 0.587, 0.114)


def resize_bilinear(img: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Bilinear resize of (C, H, W) to `size`, half-pixel centres (align_corners=False).

    Example: a 1x2 row [0, 1] resized to width 4 -> [0, 0.25, 0.75, 1].
    """
    out_h, out_w = size
    _, in_h, in_w = img.shape
    y0, y1, wy = _source_coords(in_h, out_h)
    x0, x1, wx = _source_coords(in_w, out_w)
    # separable: blend rows first, then columns (4 gathers instead of 8)
    rows = torch.lerp(img[:, y0], img[:, y1], wy[:, None])
    return torch.lerp(rows[:, :, x0], rows[:, :, x1], wx)


def _source_coords(n_in: int, n_out: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Left/right source indices and the right weight for each output pixel."""
    scale = n_in / n_out
    src = ((torch.arange(n_out, dtype=torch.float32) + 0.5) * scale - 0.5).clamp(min=0)
    left = src.floor().long().clamp(max=n_in - 1)
    right = (left + 1).clamp(max=n_in - 1)
    return left, right, src - left


def hflip(img: torch.Tensor) -> torch.Tensor:
    """Mirror left-right."""
    return img[..., torch.arange(img.shape[-1] - 1, -1, -1)]


def normalize(img: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """(img - mean) / std per channel."""
    m = torch.tensor(mean, dtype=img.dtype).view(-1, 1, 1)
    s = torch.tensor(std, dtype=img.dtype).view(-1, 1, 1)
    return (img - m) / s


def grayscale(img: torch.Tensor) -> torch.Tensor:
    """Luma of an RGB image, shape (1, H, W)."""
    r, g, b = img[0], img[1], img[2]
    return (LUMA[0] * r + LUMA[1] * g + LUMA[2] * b).unsqueeze(0)


def adjust_brightness(img: torch.Tensor, factor: float) -> torch.Tensor:
    """Blend with black: 0 gives black, 1 the original."""
    return (img * factor).clamp(0.0, 1.0)


def adjust_contrast(img: torch.Tensor, factor: float) -> torch.Tensor:
    """Blend with the mean grey level: 0 gives flat grey, 1 the original."""
    mean = grayscale(img).mean()
    return (factor * img + (1 - factor) * mean).clamp(0.0, 1.0)


def adjust_saturation(img: torch.Tensor, factor: float) -> torch.Tensor:
    """Blend with the greyscale image: 0 gives grey, 1 the original."""
    return (factor * img + (1 - factor) * grayscale(img)).clamp(0.0, 1.0)


@dataclass(frozen=True)
class RandomResizedCrop:
    """Crop a random area fraction in `scale` with aspect ratio in `ratio`, resize to `size`.

    Sampling follows torchvision's: 10 tries with log-uniform ratio, else a centre crop.
    """

    size: tuple[int, int]
    scale: tuple[float, float] = (0.08, 1.0)
    ratio: tuple[float, float] = (3 / 4, 4 / 3)

    def box(self, height: int, width: int, gen: torch.Generator) -> tuple[int, int, int, int]:
        """(top, left, h, w) of the crop for an image of `height` x `width`."""
        area = height * width
        log_ratio = (math.log(self.ratio[0]), math.log(self.ratio[1]))
        for _ in range(10):
            target = area * _uniform(gen, *self.scale)
            aspect = math.exp(_uniform(gen, *log_ratio))
            w = round(math.sqrt(target * aspect))
            h = round(math.sqrt(target / aspect))
            if 0 < w <= width and 0 < h <= height:
                top = int(torch.randint(0, height - h + 1, (1,), generator=gen))
                left = int(torch.randint(0, width - w + 1, (1,), generator=gen))
                return top, left, h, w
        in_ratio = width / height  # fallback: the largest centre crop within `ratio`
        if in_ratio < self.ratio[0]:
            w, h = width, round(width / self.ratio[0])
        elif in_ratio > self.ratio[1]:
            h, w = height, round(height * self.ratio[1])
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def __call__(self, img: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        top, left, h, w = self.box(img.shape[-2], img.shape[-1], gen)
        return resize_bilinear(img[:, top : top + h, left : left + w], self.size)


@dataclass(frozen=True)
class RandomHorizontalFlip:
    """Mirror with probability `p`."""

    p: float = 0.5

    def __call__(self, img: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        return hflip(img) if _uniform(gen, 0.0, 1.0) < self.p else img


@dataclass(frozen=True)
class ColorJitter:
    """Brightness, contrast and saturation factors drawn from [1 - x, 1 + x], in that order."""

    brightness: float = 0.0
    contrast: float = 0.0
    saturation: float = 0.0

    def __call__(self, img: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        for amount, adjust in (
            (self.brightness, adjust_brightness),
            (self.contrast, adjust_contrast),
            (self.saturation, adjust_saturation),
        ):
            if amount > 0:
                img = adjust(img, _uniform(gen, max(0.0, 1 - amount), 1 + amount))
        return img


@dataclass(frozen=True)
class Resize:
    """Bilinear resize to `size` (deterministic)."""

    size: tuple[int, int]

    def __call__(self, img: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        if tuple(img.shape[-2:]) == tuple(self.size):
            return img
        return resize_bilinear(img, self.size)


@dataclass(frozen=True)
class Normalize:
    """Per-channel standardisation (deterministic)."""

    mean: tuple[float, ...]
    std: tuple[float, ...]

    def __call__(self, img: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        return normalize(img, self.mean, self.std)


class Compose:
    """Apply transforms in order, all drawing from one generator."""

    def __init__(self, transforms: Sequence) -> None:
        self.transforms = list(transforms)

    def __call__(self, img: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        for t in self.transforms:
            img = t(img, gen)
        return img


def _uniform(gen: torch.Generator, low: float, high: float) -> float:
    return low + (high - low) * float(torch.rand(1, generator=gen))
