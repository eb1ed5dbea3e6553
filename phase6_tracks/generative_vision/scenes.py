"""Generated image-caption pairs: coloured shapes on a 16x16 canvas, and the 8x8 digits.

Shapes: a circle, square or triangle, red, green or blue, in the left or right half (18
classes), with random size, height, colour jitter and pixel noise; its caption names all
three ("a red circle on the left") in one of several phrasings. Digits: scikit-learn's 8x8
digits upscaled 2x (nearest) to grey 16x16 images, captioned "a photo of the digit seven".
Everything is drawn from one seeded NumPy generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from .digits import NAMES

SHAPES = ("circle", "square", "triangle")
COLOURS = {"red": (1.0, 0.1, 0.1), "green": (0.1, 0.9, 0.1), "blue": (0.15, 0.3, 1.0)}
SIDES = ("left", "right")
SHAPE_CLASSES = [f"{c} {s} on the {p}" for s, c, p in product(SHAPES, COLOURS, SIDES)]
# Phrasings of a shape caption; the first is also the zero-shot prompt.
TEMPLATES = (
    "a {c} {s} on the {p}",
    "a {s}, {c}, at the {p}",
    "{c} {s} on the {p} side",
    "there is a {c} {s} to the {p}",
)
DIGIT_PROMPT = "a photo of the digit {}"
SIZE = 16


@dataclass(frozen=True)
class Pairs:
    """Images (N, 3, 16, 16) in [0, 1], their captions, class ids and domain ('shape'/'digit')."""

    images: np.ndarray
    captions: list[str]
    labels: np.ndarray
    domain: str


def shape_prompts() -> list[str]:
    """The zero-shot prompt of each of the 18 shape classes, in class order."""
    return [TEMPLATES[0].format(c=c, s=s, p=p) for s, c, p in class_combos()]


def digit_prompts() -> list[str]:
    """The zero-shot prompt of each digit, 0..9."""
    return [DIGIT_PROMPT.format(name) for name in NAMES]


def make_shapes(n: int, seed: int, classes: list[int] | None = None) -> Pairs:
    """`n` shape images, their classes drawn uniformly from `classes` (default: all 18)."""
    rng = np.random.default_rng(seed)
    pool = np.array(classes if classes is not None else range(len(SHAPE_CLASSES)))
    labels = rng.choice(pool, n)
    combos = class_combos()
    images = np.empty((n, 3, SIZE, SIZE), dtype=np.float32)
    captions = []
    for i, label in enumerate(labels):
        shape, colour, side = combos[label]
        images[i] = _draw(shape, colour, side, rng)
        template = TEMPLATES[rng.integers(len(TEMPLATES))]
        captions.append(template.format(c=colour, s=shape, p=side))
    return Pairs(images, captions, labels, "shape")


def make_digits(images: np.ndarray, labels: np.ndarray) -> Pairs:
    """Digits (N, 1, 8, 8) in [-1, 1] -> grey (N, 3, 16, 16) in [0, 1] with their captions."""
    grey = (images + 1) / 2
    big = grey.repeat(2, axis=2).repeat(2, axis=3)  # (N, 1, 16, 16), nearest upscaling
    rgb = np.repeat(big, 3, axis=1).astype(np.float32)  # (N, 3, 16, 16)
    captions = [DIGIT_PROMPT.format(NAMES[int(y)]) for y in labels]
    return Pairs(rgb, captions, np.asarray(labels), "digit")


def class_combos() -> list[tuple[str, str, str]]:
    """(shape, colour, side) of each shape class, in class order."""
    return [(s, c, p) for s, c, p in product(SHAPES, COLOURS, SIDES)]


def _draw(shape: str, colour: str, side: str, rng: np.random.Generator) -> np.ndarray:
    """One (3, 16, 16) image: the shape's mask times its jittered colour, plus noise."""
    r = rng.uniform(2.8, 3.8)
    # a 3-pixel band in the middle is never a centre, so "left" and "right" never blur
    cx = rng.uniform(r, 6.5) if side == "left" else rng.uniform(9.5, SIZE - 1 - r)
    cy = rng.uniform(r, SIZE - r - 1)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    if shape == "circle":
        mask = (xx - cx) ** 2 + (yy - cy) ** 2 <= r**2
    elif shape == "square":
        mask = (np.abs(xx - cx) <= r * 0.85) & (np.abs(yy - cy) <= r * 0.85)
    else:  # apex up: the row's half-width grows linearly from the top
        top, bottom = cy - r, cy + r
        half = (yy - top) / (bottom - top) * r
        mask = (yy >= top) & (yy <= bottom) & (np.abs(xx - cx) <= half)
    rgb = np.clip(np.array(COLOURS[colour]) + rng.normal(0, 0.08, 3), 0, 1)
    image = mask[None] * rgb[:, None, None].astype(np.float32)
    return np.clip(image + rng.normal(0, 0.05, image.shape), 0, 1).astype(np.float32)
