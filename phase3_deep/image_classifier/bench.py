"""Our loader + augment pipeline vs a plain in-memory tensor pipeline, at three sizes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from phase0_env.common.bench import BenchRow, compare, sizes

from .augment import RandomHorizontalFlip
from .folder_dataset import ImageFolder
from .train import ClassifierConfig, make_transforms


def run(quick: bool = False) -> list[BenchRow]:
    """Seconds per epoch of batches: PNG decode + our augment vs pre-decoded tensors + flip."""
    rows = []
    cfg = ClassifierConfig(flip=True)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes(quick, full=(500, 2000, 8000), small=(64, 128, 256)):
            root = _write_folder(Path(tmp) / str(n), n)
            ours_ds = ImageFolder(root, make_transforms(cfg, train=True))
            tensors = torch.stack([ImageFolder(root)[i][0] for i in range(n)])
            mean = torch.tensor([0.5, 0.5, 0.5]).view(1, 3, 1, 1)

            def ours(ds=ours_ds, n=n) -> None:
                for idx in torch.arange(n).split(64):
                    ds.get_batch(idx)

            def plain(t=tensors, n=n, mean=mean) -> None:
                flip = RandomHorizontalFlip()
                gen = torch.Generator().manual_seed(0)
                for idx in torch.arange(n).split(64):
                    batch = t[idx]
                    if flip.p > float(torch.rand(1, generator=gen)):
                        batch = batch.flip(-1)
                    (batch - mean) / 0.25

            row = compare(
                "folder+augment vs tensors",
                n,
                ours,
                plain,
                reference="plain torch tensor pipeline",
                repeats=1 if quick else 3,
            )
            assert row.ref_s is not None
            row.quality = {"ours_img_s": n / row.ours_s, "plain_img_s": n / row.ref_s}
            rows.append(row)
    return rows


def _write_folder(root: Path, n: int) -> Path:
    rng = np.random.default_rng(n)
    for i in range(n):
        folder = root / f"class{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(folder / f"{i}.png")
    return root
