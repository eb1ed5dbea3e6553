"""A slot-based KV-cache pool: one fixed-size cache row per running request, within a byte budget.

Memory per token is 2 (keys and values) x n_layer x n_kv_head x head_dim x bytes per element;
a slot holds `max_len` tokens, so the pool has `budget_bytes // (bytes_per_token * max_len)`
slots. Example: SmolLM2-135M in fp32 (30 layers, 3 kv heads of 64) needs 46,080 bytes per
token, 22.5 MiB per 512-token slot, so a 256 MiB budget gives 11 slots.
"""

from __future__ import annotations

import heapq
from typing import cast

import torch

from phase4_llm.gpt.config import GPTConfig


def bytes_per_token(config: GPTConfig, dtype: torch.dtype) -> int:
    """KV-cache bytes one token occupies across all layers (keys + values)."""
    elem = torch.empty((), dtype=dtype).element_size()
    return 2 * config.n_layer * cast(int, config.n_kv_head) * config.head_dim * elem


class PoolFull(RuntimeError):
    """No free slot: the caller keeps the request waiting."""


class SlotKVPool:
    """Keys/values (n_slots, n_kv_head, max_len, head_dim) per layer, plus a free list of slots.

    `allocate()` hands out the lowest free slot (so running rows stay packed at the front and
    a step can often use a view instead of a gather); `free(slot)` returns it.
    """

    def __init__(
        self,
        config: GPTConfig,
        *,
        max_len: int,
        budget_bytes: int,
        dtype: torch.dtype = torch.float32,
        device: torch.device | str = "cpu",
    ) -> None:
        if not 0 < max_len <= config.block_size:
            raise ValueError(
                f"max_len must be in [1, block_size={config.block_size}], got {max_len}"
            )
        self.bytes_per_token = bytes_per_token(config, dtype)
        self.bytes_per_slot = self.bytes_per_token * max_len
        self.n_slots = budget_bytes // self.bytes_per_slot
        if self.n_slots < 1:
            raise ValueError(
                f"KV budget {budget_bytes} bytes is below one slot "
                f"({self.bytes_per_slot} bytes = {max_len} tokens x {self.bytes_per_token} B)"
            )
        self.max_len = max_len
        shape = (self.n_slots, cast(int, config.n_kv_head), max_len, config.head_dim)
        self.keys = [torch.zeros(shape, dtype=dtype, device=device) for _ in range(config.n_layer)]
        self.values = [
            torch.zeros(shape, dtype=dtype, device=device) for _ in range(config.n_layer)
        ]
        self._free = list(range(self.n_slots))
        heapq.heapify(self._free)

    @property
    def n_free(self) -> int:
        """Slots available now."""
        return len(self._free)

    @property
    def n_used(self) -> int:
        """Slots held by running requests."""
        return self.n_slots - len(self._free)

    @property
    def allocated_bytes(self) -> int:
        """Bytes of the pre-allocated buffers (the budget actually used)."""
        return self.n_slots * self.bytes_per_slot

    def allocate(self) -> int:
        """The lowest free slot index; raises PoolFull when none is free."""
        if not self._free:
            raise PoolFull(f"all {self.n_slots} KV slots are in use")
        return heapq.heappop(self._free)

    def free(self, slot: int) -> None:
        """Return `slot` to the pool (its stale contents are overwritten by the next user)."""
        if not 0 <= slot < self.n_slots or slot in self._free:
            raise ValueError(f"slot {slot} is not allocated")
        heapq.heappush(self._free, slot)
