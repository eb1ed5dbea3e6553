"""Seeded batching: the batch order is a pure function of (seed, epoch).

Because the order never depends on a global RNG, a run resumed at step k sees exactly the
batches the uninterrupted run saw, and every DDP rank agrees on the global batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import torch


class BatchSource(Protocol):
    """A dataset that returns a whole batch for a list of indices."""

    def __len__(self) -> int: ...

    def get_batch(self, indices: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]: ...


@dataclass
class TensorData:
    """Features `x` and labels `y` held in memory as tensors."""

    x: torch.Tensor
    y: torch.Tensor

    def __post_init__(self) -> None:
        if len(self.x) != len(self.y):
            raise ValueError(f"x has {len(self.x)} rows but y has {len(self.y)}")
        if len(self.x) == 0:
            raise ValueError("empty dataset")

    def __len__(self) -> int:
        return len(self.x)

    def get_batch(self, indices: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.x[indices], self.y[indices]


def epoch_batches(n: int, batch_size: int, seed: int, epoch: int) -> list[torch.Tensor]:
    """The index batches of one epoch: a permutation seeded by (seed, epoch), cut in order."""
    gen = torch.Generator().manual_seed(seed * 100_003 + epoch)
    order = torch.randperm(n, generator=gen)
    return list(order.split(batch_size))


def shard(indices: torch.Tensor, rank: int, world_size: int) -> torch.Tensor:
    """This rank's contiguous slice of a global batch (equal sizes; the batch must divide)."""
    if len(indices) % world_size:
        raise ValueError(
            f"global batch of {len(indices)} does not split evenly over {world_size} ranks"
        )
    per = len(indices) // world_size
    return indices[rank * per : (rank + 1) * per]
