"""Transformer encoder layer, post-norm (the 2017 paper, BERT) or pre-norm (GPT-2 and later),
with torch.nn.TransformerEncoderLayer's module names."""

from __future__ import annotations

import torch
from torch import nn

from phase3_deep.layers_from_scratch import functional as scratch
from phase3_deep.layers_from_scratch.modules import Dropout, LayerNorm, Linear

from .attention import MultiHeadAttention


class TransformerEncoderLayer(nn.Module):
    """Self-attention and a feed-forward block, each wrapped in a residual connection.

    post-norm: x = norm1(x + sa(x)); x = norm2(x + ff(x))
    pre-norm (`norm_first=True`): x = x + sa(norm1(x)); x = x + ff(norm2(x))
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str = "relu",
        layer_norm_eps: float = 1e-5,
        norm_first: bool = False,
        approximate_gelu: str = "none",
    ) -> None:
        super().__init__()
        if activation not in ("relu", "gelu"):
            raise ValueError(f"activation must be 'relu' or 'gelu', got {activation!r}")
        self.self_attn = MultiHeadAttention(d_model, nhead, dropout=dropout)
        self.linear1 = Linear(d_model, dim_feedforward)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model)
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.norm_first, self.activation, self.approximate_gelu = (
            norm_first,
            activation,
            approximate_gelu,
        )

    def forward(
        self,
        src: torch.Tensor,
        src_mask: torch.Tensor | None = None,
        src_key_padding_mask: torch.Tensor | None = None,
        is_causal: bool = False,
    ) -> torch.Tensor:
        """src (N, L, d_model); masks in torch's convention (True = blocked)."""
        x = src
        if self.norm_first:
            x = x + self._sa(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff(self.norm2(x))
        x = self.norm1(x + self._sa(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff(x))

    def _sa(self, x, attn_mask, key_padding_mask, is_causal) -> torch.Tensor:
        out = self.self_attn(
            x, key_padding_mask=key_padding_mask, attn_mask=attn_mask, is_causal=is_causal
        )
        return self.dropout1(out)

    def _ff(self, x: torch.Tensor) -> torch.Tensor:
        h = self.linear1(x)
        h = scratch.relu(h) if self.activation == "relu" else scratch.gelu(h, self.approximate_gelu)
        return self.dropout2(self.linear2(self.dropout(h)))
