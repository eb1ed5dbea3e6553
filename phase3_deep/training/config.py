"""The settings of one training run, in one dataclass."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class TrainConfig:
    """Every knob of the training loop; `to_params()` is what MLflow logs."""

    epochs: int = 10
    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.01
    schedule: str = "warmup_cosine"  # "constant" | "warmup_cosine" | "one_cycle"
    warmup_frac: float = 0.1
    label_smoothing: float = 0.0
    grad_clip: float | None = 1.0
    accum_steps: int = 1
    precision: str = "fp32"  # "fp32" | "bf16" (autocast on CPU)
    patience: int | None = None  # early stopping: epochs without val improvement
    min_delta: float = 0.0
    seed: int = 0
    drop_last: bool = False
    max_steps: int | None = None  # stop (and checkpoint) after this many optimizer steps
    divergence_factor: float = 1e3  # loss above factor * first loss counts as diverged
    progress: bool = False

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.accum_steps < 1:
            raise ValueError("epochs, batch_size and accum_steps must be >= 1")
        if self.lr <= 0:
            raise ValueError("lr must be positive")
        if self.precision not in {"fp32", "bf16"}:
            raise ValueError("precision must be 'fp32' or 'bf16'")
        if self.schedule not in {"constant", "warmup_cosine", "one_cycle"}:
            raise ValueError(f"unknown schedule {self.schedule!r}")

    def to_params(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "progress"}
