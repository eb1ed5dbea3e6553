"""`roadmap parity phase3_deep.image_classifier`: augment kernels vs torch, metrics vs sklearn,
and the loader's behaviour on a folder written here."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .augment import RandomResizedCrop, hflip, normalize, resize_bilinear
from .folder_dataset import ImageFolder
from .metrics import confusion_matrix, per_class_metrics

TORCH = reference_version("torch")


def checks() -> list[ParityResult]:
    """Resize/flip/normalise vs torch ops, confusion matrix and F1 vs sklearn, loader checks."""
    gen = torch.Generator().manual_seed(0)
    img = torch.rand(3, 29, 41, generator=gen)
    out = []
    for size in ((64, 64), (16, 20), (29, 41)):
        ref = F.interpolate(img[None], size=size, mode="bilinear", align_corners=False)[0]
        # float32: different but equivalent arithmetic order
        out.append(
            compare(
                f"resize_bilinear_{size[0]}x{size[1]}",
                resize_bilinear(img, size),
                ref,
                reference=TORCH,
                rtol=1e-5,
                atol=1e-6,
            )
        )
    out.append(
        compare(
            "hflip_vs_torch_flip",
            hflip(img),
            torch.flip(img, dims=[-1]),
            reference=TORCH,
            exact=True,
        )
    )
    mean, std = (0.4, 0.5, 0.6), (0.2, 0.25, 0.3)
    ref = F.batch_norm(img[None], torch.tensor(mean), torch.tensor(std) ** 2, eps=0.0)[0]
    out.append(
        compare(
            "normalize_vs_eval_batch_norm",
            normalize(img, mean, std),
            ref,
            reference=TORCH,
            rtol=1e-5,
            atol=1e-6,
        )
    )
    full = RandomResizedCrop((20, 20), scale=(1.0, 1.0), ratio=(41 / 29, 41 / 29))
    ref = F.interpolate(img[None], size=(20, 20), mode="bilinear", align_corners=False)[0]
    out.append(
        compare(
            "random_resized_crop_full_area_is_resize",
            full(img, gen),
            ref,
            reference=TORCH,
            rtol=1e-5,
            atol=1e-6,
        )
    )
    out += _metric_checks()
    out.append(_loader_check())
    return out


def _metric_checks() -> list[ParityResult]:
    from sklearn.metrics import confusion_matrix as sk_cm
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 6, 500), rng.integers(0, 6, 500)
    y_pred[:5] = 5  # class 5 over-predicted; class sizes uneven
    sk = reference_version("scikit-learn")
    cm = confusion_matrix(y_true, y_pred, 6)
    return [
        compare(
            "confusion_matrix", cm, sk_cm(y_true, y_pred, labels=range(6)), reference=sk, exact=True
        ),
        compare(
            "per_class_f1",
            per_class_metrics(cm)["f1"],
            f1_score(y_true, y_pred, average=None, labels=range(6)),
            reference=sk,
            rtol=1e-12,
        ),
    ]


def _loader_check() -> ParityResult:
    """Sorted classes, every image found once, non-images skipped, pixels equal PIL's / 255."""
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pixels = {}
        for name, n in (("zebra", 3), ("apple", 2), ("mango", 4)):
            (root / name).mkdir()
            for i in range(n):
                arr = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
                Image.fromarray(arr).save(root / name / f"{i}.png")
                pixels[(name, i)] = arr
            (root / name / "notes.txt").write_text("not an image")
        ds = ImageFolder(root)
        image, label = ds[3]  # sorted: apple/0, apple/1, mango/0, ...
        ok = (
            ds.classes == ["apple", "mango", "zebra"]
            and len(ds) == 9
            and ds.targets.tolist() == [0, 0, 1, 1, 1, 1, 2, 2, 2]
            and label == 1
            and torch.equal(image, torch.from_numpy(pixels[("mango", 1)]).permute(2, 0, 1) / 255)
        )
    return behaviour("image_folder_loader", ok, f"classes {ds.classes}, {len(ds)} images")
