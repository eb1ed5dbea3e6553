"""Checkpoints that make a resumed run bit-identical to an uninterrupted one.

Saved: model and optimizer state, the step/epoch counters, early-stopping state, the metric
history and torch's global RNG state (dropout draws from it). The batch order needs no state:
it is a function of (seed, epoch) (see data.py); the LR schedule is a function of the step.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch


def save_checkpoint(path: str | Path, state: dict[str, Any]) -> Path:
    """Write `state` to `path` atomically (write then rename) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save({**state, "torch_rng": torch.get_rng_state()}, tmp)
    os.replace(tmp, path)
    return path


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """Read a checkpoint written by `save_checkpoint` (tensors and plain Python only)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    return torch.load(path, map_location="cpu", weights_only=True)
