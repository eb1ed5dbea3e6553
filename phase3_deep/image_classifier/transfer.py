"""Transfer learning: pretrain on digits, freeze the backbone, fine-tune a new head on photos.

Compared at small data sizes with the same CNN trained from scratch on the same photo
patches; both are scored on the photos' held-out test split.
"""

from __future__ import annotations

import copy
import math
from dataclasses import replace
from pathlib import Path

from .cnn import SmallCNN
from .train import ClassifierConfig, train_on_folder


def transfer_table(
    pretrained: SmallCNN,
    target_root: str | Path,
    cfg: ClassifierConfig,
    n_per_class: tuple[int, ...] = (4, 16, 64),
) -> list[dict[str, float]]:
    """One row per data size: macro-F1 of from-scratch vs frozen-backbone fine-tuning."""
    rows = []
    for n in n_per_class:
        cfg_n = _enough_steps(cfg, n_images=2 * n)
        scratch = train_on_folder(target_root, cfg_n, n_per_class=n)
        n_classes = len(scratch.classes)
        model = copy.deepcopy(pretrained).replace_head(n_classes).freeze_backbone()
        # only the head trains: a larger LR suits a single linear layer
        tuned = train_on_folder(
            target_root, replace(cfg_n, lr=cfg_n.lr * 3), model=model, n_per_class=n
        )
        rows.append(
            {
                "n_per_class": n,
                "scratch_macro_f1": scratch.macro_f1,
                "transfer_macro_f1": tuned.macro_f1,
                "trainable_params_transfer": sum(
                    p.numel() for p in model.parameters() if p.requires_grad
                ),
                "trainable_params_scratch": sum(p.numel() for p in scratch.model.parameters()),
            }
        )
    return rows


def _enough_steps(cfg: ClassifierConfig, n_images: int, min_steps: int = 40) -> ClassifierConfig:
    """Small batches and more epochs for tiny sets, so every size gets >= `min_steps` updates."""
    batch = min(cfg.batch_size, 16)
    steps_per_epoch = math.ceil(n_images / batch)
    epochs = min(max(cfg.epochs, math.ceil(min_steps / steps_per_epoch)), 60)
    return replace(cfg, batch_size=batch, epochs=epochs)


def format_table(rows: list[dict[str, float]]) -> str:
    """The comparison as a plain-text table."""
    head = "trainable (transfer/scratch)"
    lines = [f"{'per class':>9} {'scratch F1':>11} {'transfer F1':>12} {head:>30}"]
    for r in rows:
        lines.append(
            f"{r['n_per_class']:>9} {r['scratch_macro_f1']:>11.3f} {r['transfer_macro_f1']:>12.3f} "
            f"{r['trainable_params_transfer']:>14} / {r['trainable_params_scratch']:<13}"
        )
    return "\n".join(lines)
