"""Train the U-Net on generated scenes' semantic masks and score it with our metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import torch
import torch.nn.functional as F

from phase0_env.common.seeding import seed_everything
from phase6_tracks.common.scenes import CLASSES, Scene, make_scenes, stack

from .seg_metrics import SegScores, scores
from .train_detector import warmup_cosine
from .unet import UNet

N_SEG_CLASSES = len(CLASSES) + 1  # background + each object class


@dataclass(frozen=True)
class SegmenterTraining:
    """One training run: data sizes, steps, optimiser settings and the seed."""

    n_train: int = 1000
    n_val: int = 200
    steps: int = 400
    batch: int = 16
    lr: float = 1e-2  # 3e-3 learns the small classes ~2x slower with these BN'd blocks
    width: int = 8
    eval_every: int = 100
    seed: int = 0
    # The scenes: canvas side (divisible by 8), objects per scene and object sides.
    size: int = 64
    max_objects: int = 4
    sides: tuple[int, int] = (10, 22)


# The quick demo's run (about 8 CPU s on one thread): the quick detector's smaller scenes
# (32 x 32, 1-2 objects 10-16 px, all four classes); lr 5e-3 did a little better than 1e-2
# over these few steps (held-out mean IoU 0.73 against 0.70, seed 0).
QUICK_SEGMENTER = SegmenterTraining(
    n_train=400,
    n_val=100,
    steps=300,
    batch=8,
    lr=5e-3,
    eval_every=300,
    size=32,
    max_objects=2,
    sides=(10, 16),
)


@dataclass
class SegmenterRun:
    """A trained U-Net, its curve (step, val mean IoU) and held-out scores."""

    model: UNet
    losses: list[float] = field(default_factory=list)
    curve: list[tuple[int, float]] = field(default_factory=list)
    val: SegScores | None = None


def train_segmenter(
    cfg: SegmenterTraining, log: bool = False, stop_after: int | None = None
) -> SegmenterRun:
    """Train from `cfg.seed` on `cfg.n_train` scenes; evaluate on `cfg.n_val` unseen ones.

    `stop_after` ends the run after that many steps (same schedule), for a cheap replay.
    """
    seed_everything(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    train = make_scenes(cfg.n_train, cfg.seed + 1, cfg.size, cfg.max_objects, _sides(cfg))
    images, masks = (torch.from_numpy(a) for a in stack(train))
    # A different seed: held out.
    val = make_scenes(cfg.n_val, cfg.seed + 2, cfg.size, cfg.max_objects, _sides(cfg))
    run = SegmenterRun(UNet(N_SEG_CLASSES, cfg.width))
    opt = torch.optim.AdamW(run.model.parameters(), lr=cfg.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, partial(warmup_cosine, steps=cfg.steps))
    for step in range(1, cfg.steps + 1):
        run.model.train()
        idx = torch.from_numpy(rng.integers(0, len(images), size=cfg.batch))
        x, y = images[idx], masks[idx]
        if rng.random() < 0.5:  # a horizontal flip keeps every class what it is
            x, y = x.flip(-1), y.flip(-1)
        value = seg_loss(run.model(x), y)
        opt.zero_grad()
        value.backward()
        opt.step()
        sched.step()
        run.losses.append(float(value.detach()))
        if stop_after is not None and step >= stop_after:  # a cheap replay of the first steps
            break
        if step % cfg.eval_every == 0 or step == cfg.steps:
            run.val = evaluate(run.model, val)
            run.curve.append((step, run.val.mean_iou))
            if log:
                print(
                    f"  step {step:5d}  loss {np.mean(run.losses[-50:]):.3f}  "
                    f"val mean IoU {run.val.mean_iou:.3f}  pixel acc {run.val.pixel_accuracy:.4f}"
                )
    return run


def _sides(cfg: SegmenterTraining) -> tuple[int, int]:
    return cfg.sides[0], cfg.sides[1]  # a list once read back from results.json


def predict(model: UNet, scenes: list[Scene], batch: int = 100) -> np.ndarray:
    """(N, H, W) predicted class map of each scene."""
    model.eval()
    out = []
    for i in range(0, len(scenes), batch):
        with torch.no_grad():
            out.append(model(torch.from_numpy(stack(scenes[i : i + batch])[0])).argmax(1).numpy())
    return np.concatenate(out)


def evaluate(model: UNet, scenes: list[Scene]) -> SegScores:
    """Our IoU, Dice and pixel accuracy of the model's masks on `scenes`."""
    return scores(predict(model, scenes), stack(scenes)[1], N_SEG_CLASSES)


def seg_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy plus soft Dice over classes.

    Background is ~90% of the pixels; the Dice term weighs every class alike, so small
    objects pull on the weights from the first steps instead of after the background is learned.
    """
    ce = F.cross_entropy(logits, target)
    p = logits.softmax(1)  # (B, K, H, W)
    onehot = F.one_hot(target, p.shape[1]).permute(0, 3, 1, 2).float()  # (B, K, H, W)
    inter = (p * onehot).sum((0, 2, 3))
    dice = (2 * inter + 1) / (p.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + 1)
    return ce + (1 - dice).mean()
