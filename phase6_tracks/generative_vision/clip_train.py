"""Train the small CLIP on generated pairs; zero-shot accuracy beside two supervised baselines.

Training pairs: shapes of 15 of the 18 classes (three colour-shape-side combinations are held
out entirely) and the training digits. Held-out images are classified zero-shot by the nearest
class prompt within their domain (18 shape prompts or 10 digit prompts). Baselines, on the same
training images: a linear probe on the frozen CLIP image features, and the same CNN trained
with class labels. Neither baseline can name a class it never saw; the prompts can.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .clip_model import CaptionTokenizer, ImageEncoder, SmallCLIP
from .contrastive import clip_loss, zero_shot_predict
from .digits import Digits
from .scenes import (
    SHAPE_CLASSES,
    TEMPLATES,
    Pairs,
    class_combos,
    digit_prompts,
    make_digits,
    make_shapes,
    shape_prompts,
)

# Combinations never shown in training: "blue triangle on the right", "red square on the left",
# "green circle on the right" (class ids in SHAPE_CLASSES order).
UNSEEN = (17, 6, 3)


@dataclass(frozen=True)
class ClipConfig:
    """Sizes and optimiser settings of one run."""

    n_shapes: int = 3000
    epochs: int = 15
    batch_size: int = 128
    lr: float = 3e-3
    seed: int = 0


@dataclass(frozen=True)
class ClipData:
    """Training pairs (shapes and digits) and held-out images per evaluation split."""

    train: list[Pairs]
    test_shapes: Pairs  # seen classes, new images
    unseen_shapes: Pairs  # the held-out combinations
    test_digits: Pairs


def make_clip_data(digits: Digits, config: ClipConfig) -> ClipData:
    """Seeded pairs: training shapes without UNSEEN, held-out shapes, digits by their split."""
    seen = [c for c in range(len(SHAPE_CLASSES)) if c not in UNSEEN]
    n_test = max(180, config.n_shapes // 4)
    return ClipData(
        train=[
            make_shapes(config.n_shapes, config.seed, seen),
            make_digits(digits.x_train.numpy(), digits.y_train.numpy()),
        ],
        test_shapes=make_shapes(n_test, config.seed + 1, seen),
        unseen_shapes=make_shapes(n_test // 3, config.seed + 2, list(UNSEEN)),
        test_digits=make_digits(digits.x_test.numpy(), digits.y_test.numpy()),
    )


def caption_corpus() -> list[str]:
    """Every caption the generators can write (the BPE tokenizer's training text)."""
    shapes = [t.format(c=c, s=s, p=p) for s, c, p in class_combos() for t in TEMPLATES]
    return shapes + digit_prompts()


def train_clip(data: ClipData, config: ClipConfig) -> tuple[SmallCLIP, list[float], float]:
    """(model, mean loss per epoch, seconds): AdamW on the symmetric contrastive loss."""
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    model = SmallCLIP(CaptionTokenizer(caption_corpus()))
    images = torch.from_numpy(np.concatenate([p.images for p in data.train]))
    captions = [c for p in data.train for c in p.captions]
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.01)
    losses, start = [], time.perf_counter()
    for _ in range(config.epochs):
        model.train()
        total, batches = 0.0, 0
        for idx in torch.randperm(len(images), generator=gen).split(config.batch_size):
            text = model.encode_text([captions[i] for i in idx])
            loss = clip_loss(model.encode_image(images[idx]), text, model.logit_scale())
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, batches = total + float(loss.detach()), batches + 1
        losses.append(total / batches)
    return model.eval(), losses, time.perf_counter() - start


@torch.no_grad()
def zero_shot_report(model: SmallCLIP, data: ClipData) -> dict[str, float]:
    """Zero-shot accuracy on held-out shapes (seen and unseen classes) and digits."""
    shapes, digits = model.encode_text(shape_prompts()), model.encode_text(digit_prompts())
    out = {}
    for name, pairs, prompts in (
        ("shapes", data.test_shapes, shapes),
        ("unseen shape combos", data.unseen_shapes, shapes),
        ("digits", data.test_digits, digits),
    ):
        pred = zero_shot_predict(model.encode_image(torch.from_numpy(pairs.images)), prompts)
        out[name] = float((pred.numpy() == pairs.labels).mean())
        if name == "unseen shape combos":
            out.update(_attributes_right(pred.numpy(), pairs.labels))
    return out


def _attributes_right(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Share of predictions whose shape, colour and side each match the true class's."""
    combos = class_combos()
    return {
        f"unseen: {what} right": float(
            np.mean([combos[p][k] == combos[t][k] for p, t in zip(pred, truth, strict=True)])
        )
        for k, what in enumerate(("shape", "colour", "side"))
    }


def supervised_report(model: SmallCLIP, data: ClipData, config: ClipConfig) -> dict:
    """Accuracy of a linear probe on frozen CLIP features and of a CNN trained with labels."""
    x = torch.from_numpy(np.concatenate([p.images for p in data.train]))
    # one label space: shape classes 0..17, digits 18..27
    y = torch.from_numpy(np.concatenate([data.train[0].labels, data.train[1].labels + 18]))
    with torch.no_grad():
        feats = model.encode_image(x)
    probe = _fit(nn.Linear(feats.shape[1], 28), feats, y, epochs=100, lr=0.05, seed=config.seed)
    cnn = _fit(
        nn.Sequential(ImageEncoder(64), nn.ReLU(), nn.Linear(64, 28)),
        x,
        y,
        epochs=config.epochs,
        lr=config.lr,
        seed=config.seed,
        batch=config.batch_size,
    )
    report = {}
    for name, head in (("linear probe", lambda t: probe(model.encode_image(t))), ("cnn", cnn)):
        report[name] = _accuracies(head, data)
    return report


@torch.no_grad()
def _accuracies(head, data: ClipData) -> dict[str, float]:
    """Accuracy within each domain's classes (logits of the other domain masked)."""
    out = {}
    for name, pairs, lo, hi in (
        ("shapes", data.test_shapes, 0, 18),
        ("unseen shape combos", data.unseen_shapes, 0, 18),
        ("digits", data.test_digits, 18, 28),
    ):
        logits = head(torch.from_numpy(pairs.images))[:, lo:hi]
        out[name] = float((logits.argmax(1).numpy() == pairs.labels).mean())
    return out


def _fit(
    net: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    epochs: int,
    lr: float,
    seed: int,
    batch: int = 256,
) -> nn.Module:
    """Cross-entropy training with AdamW; returns the net in eval mode."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=0.01)
    for _ in range(epochs):
        net.train()
        for idx in torch.randperm(len(x), generator=gen).split(batch):
            loss = F.cross_entropy(net(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net.eval()
