"""Write two real custom datasets to disk as per-class folders of PNGs.

- digits: scikit-learn's 1,797 handwritten digits (8x8, 17 grey levels), upscaled to 32x32
  with PIL bicubic, split 60/20/20 stratified into train/val/test.
- photos: 32x32 patches cut from scikit-learn's two sample photographs ("china" and
  "flower"), a 2-class set. The photo is split into vertical bands (left 60 % train, next
  20 % val, right 20 % test) so no test patch overlaps a training patch.
A `manifest.json` marks a finished build, so a second call reuses the files.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from phase0_env.common.paths import project_root

REPO_ROOT = project_root(__file__)
DEFAULT_ROOT = REPO_ROOT / ".cache" / "image_classifier"
SPLITS = ("train", "val", "test")


def build_digits(root: str | Path = DEFAULT_ROOT, size: int = 32, seed: int = 0) -> Path:
    """Write `root/digits/{train,val,test}/<digit>/<i>.png`; return `root/digits`."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    out = Path(root) / "digits"
    manifest = {"source": "sklearn.datasets.load_digits", "size": size, "seed": seed}
    if _is_built(out, manifest):
        return out
    images, labels = load_digits(return_X_y=True)
    idx = np.arange(len(labels))
    train, test = train_test_split(idx, test_size=0.2, stratify=labels, random_state=seed)
    train, val = train_test_split(train, test_size=0.25, stratify=labels[train], random_state=seed)
    for split, members in zip(SPLITS, (train, val, test), strict=True):
        for i in members:
            pixels = (images[i].reshape(8, 8) * (255 / 16)).round().astype(np.uint8)
            img = Image.fromarray(pixels, mode="L").resize((size, size), Image.Resampling.BICUBIC)
            _save(img, out / split / str(labels[i]) / f"{i:04d}.png")
    return _finish(out, manifest)


def build_photos(
    root: str | Path = DEFAULT_ROOT, patch: int = 32, per_class: int = 200, seed: int = 0
) -> Path:
    """Write `root/photos/{train,val,test}/{china,flower}/<i>.png` patches; return the folder."""
    from sklearn.datasets import load_sample_images

    out = Path(root) / "photos"
    manifest = {
        "source": "sklearn.datasets.load_sample_images",
        "patch": patch,
        "per_class": per_class,
        "seed": seed,
    }
    if _is_built(out, manifest):
        return out
    sample = load_sample_images()
    rng = np.random.default_rng(seed)
    counts = {"train": int(per_class * 0.6), "val": int(per_class * 0.2)}
    counts["test"] = per_class - counts["train"] - counts["val"]
    bands = {"train": (0.0, 0.6), "val": (0.6, 0.8), "test": (0.8, 1.0)}
    for name, photo in zip(("china", "flower"), sample.images, strict=True):
        height, width, _ = photo.shape
        for split in SPLITS:
            lo, hi = (int(f * width) for f in bands[split])
            for k in range(counts[split]):
                # a patch of 1-2x the target size, downscaled: some scale variety
                side = int(rng.integers(patch, 2 * patch + 1))
                top = int(rng.integers(0, height - side + 1))
                left = int(rng.integers(lo, hi - side + 1))
                crop = Image.fromarray(photo[top : top + side, left : left + side])
                _save(
                    crop.resize((patch, patch), Image.Resampling.BILINEAR),
                    out / split / name / f"{k:04d}.png",
                )
    return _finish(out, manifest)


def _save(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


def _is_built(out: Path, manifest: dict) -> bool:
    path = out / "manifest.json"
    return path.is_file() and json.loads(path.read_text()) == manifest


def _finish(out: Path, manifest: dict) -> Path:
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out
