"""Learning-rate schedules as pure functions of the optimizer step.

A schedule is stateless: `lr_at(step)` gives the learning rate for step `step` (0-based), so a
resumed run needs only the step counter, not a scheduler's internal state. Each schedule names
the torch scheduler it equals step by step (tests/test_parity_torch.py asserts that).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol


class LRSchedule(Protocol):
    """Anything that maps an optimizer step to a learning rate."""

    def lr_at(self, step: int) -> float: ...


@dataclass(frozen=True)
class Constant:
    """The same learning rate at every step."""

    lr: float

    def lr_at(self, step: int) -> float:
        return self.lr


@dataclass(frozen=True)
class WarmupCosine:
    """Linear warmup from `start_factor * base_lr` to `base_lr`, then cosine decay to `min_lr`.

    Equals torch `SequentialLR([LinearLR(start_factor, 1, warmup), CosineAnnealingLR(total -
    warmup, min_lr)], milestones=[warmup])`. Example: base 1.0, warmup 2, start 0.5, total 4
    -> 0.5, 0.75, 1.0, 0.5 (then 0.0 at step 4).
    """

    base_lr: float
    warmup_steps: int
    total_steps: int
    start_factor: float = 1.0 / 3.0
    min_lr: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.warmup_steps < self.total_steps:
            raise ValueError("need 0 <= warmup_steps < total_steps")
        if not 0 < self.start_factor <= 1:
            raise ValueError("start_factor must be in (0, 1] (torch LinearLR's rule)")

    def lr_at(self, step: int) -> float:
        if step < self.warmup_steps:
            frac = self.start_factor + (1 - self.start_factor) * step / self.warmup_steps
            return self.base_lr * frac
        decay_steps = self.total_steps - self.warmup_steps
        progress = (step - self.warmup_steps) / decay_steps
        return self.min_lr + (self.base_lr - self.min_lr) * (1 + math.cos(math.pi * progress)) / 2


@dataclass(frozen=True)
class OneCycle:
    """The one-cycle policy: cosine up from `max_lr / div_factor` to `max_lr`, then down.

    Equals torch `OneCycleLR(max_lr, total_steps, pct_start, anneal_strategy="cos",
    div_factor, final_div_factor, three_phase=False)` for the learning rate (momentum is not
    cycled here).
    """

    max_lr: float
    total_steps: int
    pct_start: float = 0.3
    div_factor: float = 25.0
    final_div_factor: float = 1e4

    def __post_init__(self) -> None:
        if self.total_steps < 2:
            raise ValueError("total_steps must be at least 2")
        if not 0 < self.pct_start < 1:
            raise ValueError("pct_start must be in (0, 1)")

    def lr_at(self, step: int) -> float:
        initial = self.max_lr / self.div_factor
        final = initial / self.final_div_factor
        # torch's phase boundaries: float end steps, the last phase ends at total_steps - 1.
        peak = float(self.pct_start * self.total_steps) - 1
        last = float(self.total_steps - 1)
        if step <= peak:
            return _cos_anneal(initial, self.max_lr, step / peak)
        return _cos_anneal(self.max_lr, final, (step - peak) / (last - peak))


def _cos_anneal(start: float, end: float, pct: float) -> float:
    """Cosine interpolation: pct 0 -> start, pct 1 -> end."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
