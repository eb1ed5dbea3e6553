"""Longer context for phase 4's rotary GPT without editing it: RoPE position interpolation.

`ScaledRoPEGPT` is a `GPT` whose rotary table is rescaled and whose block size is `factor`
times larger:
- "linear" (position interpolation, Chen et al. 2023): position p is rotated as p / factor,
  so a sequence `factor` times longer spans the angles seen in training;
- "ntk" (NTK-aware scaling, bloc97 2023): the base theta grows to theta * factor^(d/(d-2)), so
  high frequencies (local order) stay as trained and only the low ones are stretched.
Both equal transformers' "linear" and "dynamic" RoPE (the tests load a tiny HF Llama).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import torch
from torch import nn

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT

Scaling = Literal["none", "linear", "ntk"]


class ScaledRotaryEmbedding(nn.Module):
    """cos/sin tables of rotary embedding with linear or NTK-aware scaling."""

    def __init__(self, head_dim: int, theta: float, kind: Scaling, factor: float) -> None:
        super().__init__()
        if kind not in ("none", "linear", "ntk"):
            raise ValueError(f"unknown RoPE scaling {kind!r} (none, linear, ntk)")
        if not factor >= 1.0:
            raise ValueError(f"factor must be >= 1, got {factor}")
        if kind == "ntk":
            theta = theta * factor ** (head_dim / (head_dim - 2))
        self.position_scale = factor if kind == "linear" else 1.0
        inv_freq = 1.0 / (
            theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim)
        )
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, pos: torch.Tensor, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """cos and sin of shape (time, head_dim) for the given absolute positions."""
        # Divide inv_freq, as transformers does, so the float32 rounding matches too.
        freqs = pos.float()[:, None] * (self.inv_freq[None, :] / self.position_scale)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(dtype), emb.sin().to(dtype)


class ScaledRoPEGPT(GPT):
    """A rotary `GPT` with RoPE scaling and a block size `factor` times the trained one."""

    def __init__(self, config: GPTConfig, kind: Scaling = "linear", factor: float = 2.0) -> None:
        if config.position != "rotary":
            raise ValueError(f"RoPE scaling needs position='rotary', got {config.position!r}")
        longer = dataclasses.replace(config, block_size=int(config.block_size * factor))
        super().__init__(longer)
        self.kind, self.factor = kind, factor
        self.trained_block_size = config.block_size
        self.rotary = ScaledRotaryEmbedding(config.head_dim, config.rope_theta, kind, factor)

    @classmethod
    def from_base(cls, base: GPT, kind: Scaling = "linear", factor: float = 2.0) -> ScaledRoPEGPT:
        """The same weights as `base`, with scaled RoPE and a longer block size."""
        model = cls(base.config, kind, factor)
        model.load_state_dict(base.state_dict(), strict=True)
        p = next(base.parameters())
        return model.to(device=p.device, dtype=p.dtype).train(base.training)
