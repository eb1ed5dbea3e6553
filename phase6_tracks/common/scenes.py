"""Seeded image scenes with exact labels: shapes and digits on textured, noisy backgrounds.

A scene is a square RGB image holding 1 to `max_objects` objects that never overlap (their
boxes keep a 1-pixel gap), so every label is exact: each object's mask is the set of pixels
painted for it, its box is the tight box of that mask, and the semantic mask is the union.

Objects are filled circles, rectangles ("square"), upright triangles, and digits from
scikit-learn's bundled 8x8 set upscaled bilinearly (a digit's mask is where the upscaled
ink exceeds 40% of full ink). Each object has a named colour from `COLORS` and, for digits,
its digit value, so a caption ("a red circle and a green 3") can be written from the labels.
The background is a random dark colour plus three random sinusoidal gratings plus Gaussian
noise; the noise is added over the objects too. Everything follows from one seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

CLASSES = ("circle", "square", "triangle", "digit")
COLORS = {
    "red": (0.95, 0.15, 0.15),
    "green": (0.2, 0.9, 0.25),
    "blue": (0.25, 0.45, 1.0),
    "yellow": (0.95, 0.9, 0.2),
    "magenta": (0.9, 0.25, 0.9),
    "cyan": (0.2, 0.9, 0.9),
    "white": (0.95, 0.95, 0.95),
}


@dataclass(frozen=True)
class Scene:
    """One image with its objects' exact boxes, classes, masks, colours and digit values."""

    image: np.ndarray  # (3, H, W) float32 in [0, 1]
    boxes: np.ndarray  # (N, 4) float64 x0, y0, x1, y1 in pixel edges (x1 = last column + 1)
    labels: np.ndarray  # (N,) int64 index into CLASSES
    masks: np.ndarray  # (N, H, W) bool, disjoint
    colors: tuple[str, ...]  # (N,) names from COLORS
    digits: np.ndarray  # (N,) int64 digit value, -1 for shapes

    @property
    def semantic(self) -> np.ndarray:
        """(H, W) int64 class map: 0 background, 1 + class index where an object is."""
        out = np.zeros(self.image.shape[1:], dtype=np.int64)
        for mask, label in zip(self.masks, self.labels, strict=True):
            out[mask] = label + 1
        return out


def make_scenes(
    n: int,
    seed: int,
    size: int = 64,
    max_objects: int = 4,
    sides: tuple[int, int] = (10, 22),
) -> list[Scene]:
    """`n` scenes of `size` x `size` pixels from one seed (object sides in `sides`, inclusive)."""
    rng = np.random.default_rng(seed)
    return [make_scene(rng, size, max_objects, sides) for _ in range(n)]


def stack(scenes: list[Scene]) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, 3, H, W) float32 and semantic masks (N, H, W) int64 of a list of scenes."""
    return np.stack([s.image for s in scenes]), np.stack([s.semantic for s in scenes])


def make_scene(
    rng: np.random.Generator, size: int, max_objects: int, sides: tuple[int, int]
) -> Scene:
    """One scene drawn from `rng` (see the module docstring for what it contains)."""
    image = _background(rng, size)
    n_wanted = int(rng.integers(1, max_objects + 1))
    taken = np.zeros((size, size), dtype=bool)  # occupied boxes grown by the 1-pixel gap
    boxes: list[tuple[int, int, int, int]] = []
    labels: list[int] = []
    masks: list[np.ndarray] = []
    colors: list[str] = []
    digits: list[int] = []
    for _ in range(n_wanted * 20):  # rejection sampling of free places; a few tries each
        if len(labels) == n_wanted:
            break
        label = int(rng.integers(len(CLASSES)))
        side = int(rng.integers(sides[0], sides[1] + 1))
        patch, digit = _patch(rng, label, side)
        if not patch.any():
            continue
        y, x = (int(v) for v in rng.integers(0, size - side + 1, size=2))
        if taken[max(0, y - 1) : y + side + 1, max(0, x - 1) : x + side + 1].any():
            continue
        mask = np.zeros((size, size), dtype=bool)
        mask[y : y + side, x : x + side] = patch
        rows, cols = np.nonzero(mask)
        box = (int(cols.min()), int(rows.min()), int(cols.max()) + 1, int(rows.max()) + 1)
        taken[y : y + side, x : x + side] = True
        name = str(rng.choice(list(COLORS)))
        shade = 0.85 + 0.15 * rng.random()  # the same colour, a little brighter or darker
        image[:, mask] = (np.array(COLORS[name]) * shade)[:, None]
        boxes.append(box)
        labels.append(label)
        masks.append(mask)
        colors.append(name)
        digits.append(digit)
    image += rng.normal(0.0, 0.04, size=image.shape)
    return Scene(
        image=np.clip(image, 0.0, 1.0).astype(np.float32),
        boxes=np.array(boxes, dtype=np.float64).reshape(-1, 4),
        labels=np.array(labels, dtype=np.int64),
        masks=np.array(masks, dtype=bool).reshape(-1, size, size),
        colors=tuple(colors),
        digits=np.array(digits, dtype=np.int64),
    )


def _background(rng: np.random.Generator, size: int) -> np.ndarray:
    """(3, size, size) dark base colour plus three random sinusoidal gratings."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    image = np.ones((3, size, size)) * rng.uniform(0.05, 0.35, size=(3, 1, 1))
    for _ in range(3):
        freq = rng.uniform(0.05, 0.5)
        angle = rng.uniform(0, np.pi)
        phase = rng.uniform(0, 2 * np.pi)
        wave = np.sin(freq * (xx * np.cos(angle) + yy * np.sin(angle)) + phase)
        image += rng.uniform(0.02, 0.07, size=(3, 1, 1)) * wave
    return image


def _patch(rng: np.random.Generator, label: int, side: int) -> tuple[np.ndarray, int]:
    """(side, side) bool mask of one object of class `label`, and its digit (-1 if a shape)."""
    c = (np.arange(side) + 0.5) / side  # pixel centres in [0, 1]
    yy, xx = np.meshgrid(c, c, indexing="ij")
    name = CLASSES[label]
    if name == "circle":
        return (xx - 0.5) ** 2 + (yy - 0.5) ** 2 <= 0.25, -1
    if name == "square":  # an axis-aligned rectangle, aspect between 0.6 and 1
        w, h = (rng.uniform(0.6, 1.0, size=2) / 2).tolist()
        return (np.abs(xx - 0.5) <= w) & (np.abs(yy - 0.5) <= h), -1
    if name == "triangle":  # apex at the top centre, base along the bottom edge
        return (yy >= 2 * np.abs(xx - 0.5)) & (yy <= 1.0), -1
    images, targets = _digits()
    i = int(rng.integers(len(images)))
    return _upscale(images[i], side) > 0.4, int(targets[i])


@lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 digits, scaled to [0, 1], and their labels."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return data.images / 16.0, data.target


def _upscale(img: np.ndarray, side: int) -> np.ndarray:
    """Bilinear resize of a square image to (side, side), sampling at pixel centres."""
    n = img.shape[0]
    pos = np.clip((np.arange(side) + 0.5) * n / side - 0.5, 0, n - 1)
    i0 = np.floor(pos).astype(int)
    i1 = np.minimum(i0 + 1, n - 1)
    f = pos - i0
    rows = img[i0] * (1 - f)[:, None] + img[i1] * f[:, None]  # (side, n)
    return rows[:, i0] * (1 - f)[None, :] + rows[:, i1] * f[None, :]  # (side, side)
