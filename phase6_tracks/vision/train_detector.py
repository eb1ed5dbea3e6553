"""Train the CenterNet-style detector on generated scenes and score it with our COCO mAP."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import torch

from phase0_env.common.seeding import seed_everything
from phase6_tracks.common.scenes import CLASSES, Scene, make_scenes, stack

from .coco_map import Detections, GroundTruth, MapResult, coco_map
from .detector import STRIDE, DetectorConfig, TinyCenterNet, decode, loss, targets


@dataclass(frozen=True)
class DetectorTraining:
    """One training run: data sizes, steps, optimiser settings and the seed."""

    n_train: int = 2000
    n_val: int = 300
    steps: int = 500
    batch: int = 32
    lr: float = 3e-3
    width: int = 32
    eval_every: int = 100
    seed: int = 0
    # The scenes: canvas side, objects per scene and object sides (the quick demo shrinks them).
    size: int = 64
    max_objects: int = 4
    sides: tuple[int, int] = (10, 22)


# The quick demo's run (5-7 CPU s on one thread): a smaller problem that still trains
# to a useful held-out mAP - 32 x 32 scenes of 1-2 objects 10-16 px wide, all four classes,
# a half-width net. The full run above keeps 64 x 64 scenes of 1-4 objects.
QUICK_DETECTOR = DetectorTraining(
    n_train=400,
    n_val=100,
    steps=400,
    batch=16,
    width=16,
    eval_every=400,
    size=32,
    max_objects=2,
    sides=(10, 16),
)


@dataclass
class DetectorRun:
    """A trained model, its curve (step, train loss, val mAP@0.5) and held-out scores."""

    model: TinyCenterNet
    losses: list[float] = field(default_factory=list)
    curve: list[tuple[int, float]] = field(default_factory=list)  # (step, val mAP@0.5)
    val: MapResult | None = None


def train_detector(
    cfg: DetectorTraining, log: bool = False, stop_after: int | None = None
) -> DetectorRun:
    """Train from `cfg.seed` on `cfg.n_train` scenes; evaluate on `cfg.n_val` unseen ones.

    `stop_after` ends the run after that many steps (same schedule), for a cheap replay.
    """
    seed_everything(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    train, val = scenes_of(cfg, cfg.n_train, cfg.seed + 1), scenes_of(cfg, cfg.n_val, cfg.seed + 2)
    images = torch.from_numpy(stack(train)[0])
    run = DetectorRun(TinyCenterNet(DetectorConfig(len(CLASSES), cfg.width)))
    opt = torch.optim.AdamW(run.model.parameters(), lr=cfg.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, partial(warmup_cosine, steps=cfg.steps))
    grid = images.shape[-1] // STRIDE
    for step in range(1, cfg.steps + 1):
        run.model.train()
        idx = rng.integers(0, len(train), size=cfg.batch)
        x = images[idx]
        flip = bool(rng.random() < 0.5)  # a horizontal flip keeps every class what it is
        boxes = [train[i].boxes for i in idx]
        if flip:
            x = x.flip(-1)
            w = images.shape[-1]
            boxes = [np.stack([w - b[:, 2], b[:, 1], w - b[:, 0], b[:, 3]], 1) for b in boxes]
        target = targets(boxes, [train[i].labels for i in idx], len(CLASSES), grid)
        value = loss(run.model(x), target)
        opt.zero_grad()
        value.backward()
        opt.step()
        sched.step()
        run.losses.append(float(value.detach()))
        if stop_after is not None and step >= stop_after:  # a cheap replay of the first steps
            break
        if step % cfg.eval_every == 0 or step == cfg.steps:
            run.val = evaluate(run.model, val)
            run.curve.append((step, run.val.map50))
            if log:
                print(
                    f"  step {step:5d}  loss {np.mean(run.losses[-50:]):.3f}  "
                    f"val mAP@0.5 {run.val.map50:.3f}  mAP@[.5:.95] {run.val.map:.3f}"
                )
    return run


def scenes_of(cfg: DetectorTraining, n: int, seed: int) -> list[Scene]:
    """`n` scenes of the run's canvas and objects (seed + 1: training; seed + 2: held out)."""
    return make_scenes(n, seed, cfg.size, cfg.max_objects, (cfg.sides[0], cfg.sides[1]))


def predict(model: TinyCenterNet, scenes: list[Scene], batch: int = 100) -> list[Detections]:
    """Decoded detections (top 100 peaks per image) for each scene."""
    model.eval()
    out: list[Detections] = []
    for i in range(0, len(scenes), batch):
        x = torch.from_numpy(stack(scenes[i : i + batch])[0])
        with torch.no_grad():
            out += [Detections(b, s, c) for b, s, c in decode(model(x))]
    return out


def evaluate(model: TinyCenterNet, scenes: list[Scene]) -> MapResult:
    """Our COCO mAP of the model's detections on `scenes`."""
    gts = [GroundTruth(s.boxes, s.labels) for s in scenes]
    return coco_map(gts, predict(model, scenes))


def warmup_cosine(step: int, steps: int) -> float:
    """Learning-rate factor: linear warm-up over the first 10% of steps, then cosine to 0."""
    warm = max(1, steps // 10)
    if step < warm:
        return (step + 1) / warm
    return 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, steps - warm)))
