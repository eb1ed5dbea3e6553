"""Train and evaluate the CNN on an image folder with the phase's training loop.

The split discipline: `train` fits, `val` drives early stopping (the only selection), and
`test` is scored once at the end, never looked at before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from phase0_env.common.seeding import seed_everything
from phase3_deep.training.config import TrainConfig
from phase3_deep.training.loop import Tracker, Trainer

from .augment import (
    ColorJitter,
    Compose,
    Normalize,
    RandomHorizontalFlip,
    RandomResizedCrop,
    Resize,
)
from .cnn import SmallCNN
from .folder_dataset import ImageFolder
from .metrics import confusion_matrix, per_class_metrics

# Fixed normalisation shared by both datasets, so a pretrained backbone sees the same scale.
MEAN, STD = (0.5, 0.5, 0.5), (0.25, 0.25, 0.25)


@dataclass
class ClassifierConfig:
    """What one classifier run needs besides the data."""

    epochs: int = 15
    batch_size: int = 64
    lr: float = 3e-3
    width: int = 16
    size: int = 16  # files are 32x32; digits come from 8x8, so 16x16 loses nothing
    seed: int = 0
    patience: int = 5
    label_smoothing: float = 0.05
    flip: bool = False  # digits must not be mirrored; photo patches may

    def train_config(self) -> TrainConfig:
        return TrainConfig(
            epochs=self.epochs,
            batch_size=self.batch_size,
            lr=self.lr,
            seed=self.seed,
            patience=self.patience,
            label_smoothing=self.label_smoothing,
            weight_decay=1e-3,
        )


@dataclass
class ClassifierResult:
    """The trained model and its one-time score on the held-out test split."""

    model: SmallCNN
    classes: list[str]
    history: list[dict[str, float]]
    confusion: np.ndarray
    per_class: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        return float(self.per_class["f1"].mean())


def make_transforms(cfg: ClassifierConfig, train: bool) -> Compose:
    """Training: random resized crop, optional flip, colour jitter, normalise; eval: normalise."""
    size = (cfg.size, cfg.size)
    if not train:
        return Compose([Resize(size), Normalize(MEAN, STD)])
    steps: list[Any] = [RandomResizedCrop(size, scale=(0.6, 1.0), ratio=(0.85, 1.15))]
    if cfg.flip:
        steps.append(RandomHorizontalFlip())
    steps += [ColorJitter(0.2, 0.2, 0.2), Normalize(MEAN, STD)]
    return Compose(steps)


def train_on_folder(
    root: str | Path,
    cfg: ClassifierConfig,
    *,
    model: SmallCNN | None = None,
    n_per_class: int | None = None,
    tracker: Tracker | None = None,
) -> ClassifierResult:
    """Fit on `root/train` (optionally `n_per_class` images per class), stop on `root/val`."""
    root = Path(root)
    seed_everything(cfg.seed)
    train = ImageFolder(root / "train", make_transforms(cfg, train=True), cache=True)
    if n_per_class is not None:
        train = train.subset(_per_class_indices(train.targets, n_per_class, cfg.seed))
    val = ImageFolder(root / "val", make_transforms(cfg, train=False), cache=True)
    test = ImageFolder(root / "test", make_transforms(cfg, train=False), cache=True)
    if model is None:
        torch.manual_seed(cfg.seed)
        model = SmallCNN(len(train.classes), cfg.width)
    trainer = Trainer(model, cfg.train_config(), tracker=tracker)
    fit = trainer.fit(train, val)
    y_true, y_pred = predict(model, test)
    cm = confusion_matrix(y_true, y_pred, len(test.classes))
    return ClassifierResult(model, test.classes, fit.history, cm, per_class_metrics(cm))


@torch.no_grad()
def predict(model: torch.nn.Module, data: ImageFolder) -> tuple[np.ndarray, np.ndarray]:
    """(true labels, predicted labels) over a whole dataset, in eval mode."""
    model.eval()
    preds, trues = [], []
    for idx in torch.arange(len(data)).split(256):
        x, y = data.get_batch(idx)
        preds.append(model(x).argmax(-1))
        trues.append(y)
    return torch.cat(trues).numpy(), torch.cat(preds).numpy()


def _per_class_indices(targets: torch.Tensor, n: int, seed: int) -> list[int]:
    """`n` seeded random indices of each class (all of a class that has fewer)."""
    gen = torch.Generator().manual_seed(seed)
    picked: list[int] = []
    for label in targets.unique():
        members = torch.nonzero(targets == label).flatten()
        picked += members[torch.randperm(len(members), generator=gen)[:n]].tolist()
    return sorted(picked)
