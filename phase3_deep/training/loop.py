"""The training loop: one `Trainer.fit` for every model in phase 3.

Per optimizer step: set the LR from the schedule, run `accum_steps` micro-batches (bf16
autocast when asked), check the loss and the gradient norm are finite and not exploding, clip,
step. Per epoch: evaluate, log, early-stop, checkpoint. Under torch DDP each rank takes its
contiguous slice of the same global batch, so the update equals one process on that batch.

What this adds over `minimal.fit` (the same update when none of it is switched on): gradient
accumulation (a large batch in small memory), clipping and divergence checks (a bad step
stops the run instead of filling it with NaN), bf16 autocast, evaluation with early stopping,
checkpoints that resume bit for bit, DDP, progress and tracking; torch's AdamW (fused
kernels) with decay on weight matrices only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import torch
from torch import nn
from tqdm.auto import tqdm

from .checkpoint import load_checkpoint, save_checkpoint
from .config import TrainConfig
from .data import BatchSource, epoch_batches, shard
from .losses import clip_grad_norm, smoothed_cross_entropy
from .schedules import Constant, LRSchedule, OneCycle, WarmupCosine


class TrainingDiverged(RuntimeError):
    """The loss or the gradients became non-finite or exploded: the run is not trained on."""


class Tracker(Protocol):
    """Where per-epoch metrics go (MLflow in tracking.py)."""

    def log_metrics(self, metrics: dict[str, float], step: int) -> None: ...


@dataclass
class FitResult:
    """What a call to `fit` did."""

    history: list[dict[str, float]] = field(default_factory=list)
    steps: int = 0
    best_val_loss: float = math.inf
    stopped_early: bool = False
    paused: bool = False
    checkpoint: Path | None = None


def make_schedule(config: TrainConfig, total_steps: int) -> LRSchedule:
    """The LR schedule the config names, sized to `total_steps`."""
    if config.schedule == "constant":
        return Constant(config.lr)
    if config.schedule == "one_cycle":
        return OneCycle(config.lr, max(total_steps, 2))
    warmup = min(int(config.warmup_frac * total_steps), max(total_steps - 1, 0))
    return WarmupCosine(config.lr, warmup, max(total_steps, 1))


def make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """AdamW; weight decay only on matrices and kernels, never on biases or norm scales."""
    decay = [p for p in model.parameters() if p.requires_grad and p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.requires_grad and p.dim() < 2]
    groups = [
        {"params": decay, "weight_decay": config.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW([g for g in groups if g["params"]], lr=config.lr)


class Trainer:
    """Trains `model` by `config`; `fit` may resume from a checkpoint and pause at max_steps."""

    def __init__(
        self,
        model: nn.Module,
        config: TrainConfig,
        *,
        loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
        tracker: Tracker | None = None,
        checkpoint_path: str | Path | None = None,
    ) -> None:
        self.model = model
        self.config = config
        self.loss_fn = loss_fn or (
            lambda out, y: smoothed_cross_entropy(out, y, config.label_smoothing)
        )
        self.tracker = tracker
        self.checkpoint_path = Path(checkpoint_path) if checkpoint_path else None
        self.optimizer = make_optimizer(model, config)
        self._first_loss: float | None = None
        self._epoch_losses: list[
            float
        ] = []  # kept in checkpoints so a resumed epoch's mean matches

    # -- public ---------------------------------------------------------------------------
    def fit(
        self,
        train: BatchSource,
        val: BatchSource | None = None,
        *,
        resume_from: str | Path | None = None,
    ) -> FitResult:
        """Train for `config.epochs` (or until early stop / `max_steps`); return the record."""
        cfg = self.config
        rank, world = _dist_info()
        n_micro = _n_batches(len(train), cfg.batch_size, cfg.drop_last)
        if n_micro == 0:
            raise ValueError("the training set is smaller than one batch")
        steps_per_epoch = math.ceil(n_micro / cfg.accum_steps)
        schedule = make_schedule(cfg, cfg.epochs * steps_per_epoch)
        result, step, start_epoch, bad_epochs = FitResult(), 0, 0, 0
        if resume_from is None:
            torch.manual_seed(cfg.seed)  # dropout masks: one seed, one run
        else:
            state = load_checkpoint(resume_from)
            _unwrap(self.model).load_state_dict(state["model"])
            self.optimizer.load_state_dict(state["optimizer"])
            torch.set_rng_state(state["torch_rng"])
            step, start_epoch, bad_epochs = state["step"], state["epoch"], state["bad_epochs"]
            result.history, result.best_val_loss = list(state["history"]), state["best_val_loss"]
            self._first_loss = state["first_loss"]
            self._epoch_losses = list(state["epoch_losses"])
        bar = tqdm(
            total=cfg.epochs * steps_per_epoch,
            initial=step,
            disable=not cfg.progress or rank != 0,
            desc="train",
        )
        with bar:
            for epoch in range(start_epoch, cfg.epochs):
                batches = epoch_batches(len(train), cfg.batch_size, cfg.seed, epoch)
                if cfg.drop_last:
                    batches = batches[:n_micro]
                groups = [
                    batches[i : i + cfg.accum_steps] for i in range(0, n_micro, cfg.accum_steps)
                ]
                done = step - epoch * steps_per_epoch
                losses = self._epoch_losses = self._epoch_losses if done else []
                for group in groups[done:]:
                    if cfg.max_steps is not None and step >= cfg.max_steps:
                        result.paused = True
                        return self._finish(result, step, epoch, bad_epochs)
                    lr = schedule.lr_at(step)
                    for g in self.optimizer.param_groups:
                        g["lr"] = lr
                    losses.append(self._train_step(group, train, rank, world, step, lr))
                    step += 1
                    bar.update(1)
                    bar.set_postfix(loss=f"{losses[-1]:.4f}", lr=f"{lr:.2e}")
                row = {
                    "epoch": float(epoch),
                    "train_loss": _mean(losses),
                    "lr": schedule.lr_at(step - 1),
                }
                if val is not None:
                    row.update(self.evaluate(val))
                result.history.append(row)
                if self.tracker is not None and rank == 0:
                    self.tracker.log_metrics(row, step=epoch)
                if val is not None and cfg.patience is not None:
                    if row["val_loss"] < result.best_val_loss - cfg.min_delta:
                        result.best_val_loss, bad_epochs = row["val_loss"], 0
                    else:
                        bad_epochs += 1
                    if bad_epochs >= cfg.patience:
                        result.stopped_early = True
                        return self._finish(result, step, epoch + 1, bad_epochs)
                elif val is not None:
                    result.best_val_loss = min(result.best_val_loss, row["val_loss"])
        return self._finish(result, step, cfg.epochs, bad_epochs)

    @torch.no_grad()
    def evaluate(self, data: BatchSource, batch_size: int = 512) -> dict[str, float]:
        """Mean (unsmoothed) cross-entropy and accuracy of the model on `data`."""
        self.model.eval()
        total_loss, correct = 0.0, 0
        for idx in torch.arange(len(data)).split(batch_size):
            x, y = data.get_batch(idx)
            with self._autocast():
                out = self.model(x)
            total_loss += float(nn.functional.cross_entropy(out.float(), y, reduction="sum"))
            correct += int((out.argmax(-1) == y).sum())
        return {"val_loss": total_loss / len(data), "val_accuracy": correct / len(data)}

    # -- one optimizer step ---------------------------------------------------------------
    def _train_step(
        self,
        group: list[torch.Tensor],
        data: BatchSource,
        rank: int,
        world: int,
        step: int,
        lr: float,
    ) -> float:
        self.model.train()
        self.optimizer.zero_grad(set_to_none=True)
        group_size = sum(len(b) for b in group)
        step_loss = 0.0
        for batch in group:
            idx = shard(batch, rank, world) if world > 1 else batch
            x, y = data.get_batch(idx)
            if x.is_floating_point() and not torch.isfinite(x).all():
                raise ValueError(
                    f"step {step}: input batch contains NaN or inf "
                    f"({int((~torch.isfinite(x)).sum())} values); clean the data first"
                )
            with self._autocast():
                loss = self.loss_fn(self.model(x), y)
            value = float(loss.detach())
            self._check_loss(value, step, lr)
            # weight by batch share so accumulated gradients equal the full-batch mean
            (loss * (len(batch) / group_size)).backward()
            step_loss += value * len(batch) / group_size
        params = [p for p in self.model.parameters() if p.grad is not None]
        clip = self.config.grad_clip
        norm = float(clip_grad_norm(params, clip) if clip else _grad_norm(params))
        if not math.isfinite(norm):
            raise TrainingDiverged(f"step {step}: gradient norm is {norm} (lr={lr:.3g})")
        self.optimizer.step()
        return step_loss

    def _check_loss(self, value: float, step: int, lr: float) -> None:
        if not math.isfinite(value):
            raise TrainingDiverged(
                f"step {step}: loss is {value} (lr={lr:.3g}); lower the LR or check the inputs"
            )
        if self._first_loss is None:
            self._first_loss = max(value, 1e-8)
        elif value > self.config.divergence_factor * self._first_loss:
            raise TrainingDiverged(
                f"step {step}: loss {value:.4g} exceeds {self.config.divergence_factor:g} x the "
                f"first loss {self._first_loss:.4g} (lr={lr:.3g}); the LR is too high"
            )

    def _autocast(self) -> Any:
        if self.config.precision == "bf16":
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return nullcontext()

    def _finish(self, result: FitResult, step: int, epoch: int, bad_epochs: int) -> FitResult:
        result.steps = step
        if self.checkpoint_path is not None and _dist_info()[0] == 0:
            state = {
                "model": _unwrap(self.model).state_dict(),
                "optimizer": self.optimizer.state_dict(),
                "step": step,
                "epoch": epoch,
                "bad_epochs": bad_epochs,
                "history": result.history,
                "best_val_loss": result.best_val_loss,
                "first_loss": self._first_loss,
                "epoch_losses": self._epoch_losses,
                "config": self.config.to_params(),
            }
            result.checkpoint = save_checkpoint(self.checkpoint_path, state)
        return result


def _dist_info() -> tuple[int, int]:
    dist = torch.distributed
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _unwrap(model: nn.Module) -> nn.Module:
    return model.module if isinstance(model, nn.parallel.DistributedDataParallel) else model


def _n_batches(n: int, batch_size: int, drop_last: bool) -> int:
    return n // batch_size if drop_last else math.ceil(n / batch_size)


def _grad_norm(params: list[torch.Tensor]) -> torch.Tensor:
    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in params]))


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else math.nan
