"""A key/value cache: each layer's past keys and values, so a new token attends without recompute.

Buffers are pre-allocated to `max_len` (the model's block size) and filled in place, so a
decoding step costs one slice-assignment per layer instead of a growing `torch.cat`.
"""

from __future__ import annotations

import torch


class KVCache:
    """Past keys and values of every layer, shape (batch, n_kv_head, max_len, head_dim)."""

    def __init__(
        self,
        n_layer: int,
        batch_size: int,
        n_kv_head: int,
        head_dim: int,
        max_len: int,
        *,
        dtype: torch.dtype = torch.float32,
        device: torch.device | str = "cpu",
    ) -> None:
        shape = (batch_size, n_kv_head, max_len, head_dim)
        self.keys = [torch.zeros(shape, dtype=dtype, device=device) for _ in range(n_layer)]
        self.values = [torch.zeros(shape, dtype=dtype, device=device) for _ in range(n_layer)]
        self.max_len = max_len
        self.length = 0  # tokens already stored (the same in every layer after a forward pass)

    def update(
        self, layer: int, k: torch.Tensor, v: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Append this step's keys/values for `layer`; return all keys/values so far."""
        start, end = self.length, self.length + k.shape[2]
        if end > self.max_len:
            raise ValueError(f"KV cache overflow: {end} tokens > max_len {self.max_len}")
        self.keys[layer][:, :, start:end] = k
        self.values[layer][:, :, start:end] = v
        return self.keys[layer][:, :, :end], self.values[layer][:, :, :end]

    def advance(self, n_tokens: int) -> None:
        """Mark `n_tokens` more positions as stored (called once per forward pass)."""
        self.length += n_tokens

    def reset(self) -> None:
        """Forget every stored token (buffers are reused)."""
        self.length = 0
