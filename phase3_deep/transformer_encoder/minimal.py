"""One Transformer encoder layer in one file: attention, heads, residuals, layer norm.

The idea only: softmax(q k^T / sqrt(d) + mask) v written out, heads as a reshape, the
post-norm layer of "Attention is all you need" (and BERT): x = norm1(x + attn(x)), then
x = norm2(x + ff(x)). Padding masks only, no dropout, no causal or float masks, no pre-norm:
`attention.py` and `encoder.py` add those. Module names equal torch's
`nn.TransformerEncoderLayer` (with q/k/v split), so the full layer's state dict loads as is.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def attention(q: Tensor, k: Tensor, v: Tensor, padding: Tensor | None = None) -> Tensor:
    """softmax(q k^T / sqrt(head_dim)) v, keys marked True in `padding` (N, S) never seen.

    q (N, H, L, D), k and v (N, H, S, D) -> (N, H, L, D).
    Hint: add -inf to the scores of padded keys (broadcast padding to (N, 1, 1, S)) first.
    """
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (N, H, L, S)
    if padding is not None:
        scores = scores.masked_fill(padding[:, None, None, :], float("-inf"))
    return torch.softmax(scores, dim=-1) @ v  # (N, H, L, D)


class SelfAttention(nn.Module):
    """Multi-head self-attention: project, split into heads, attend, join, project."""

    def __init__(self, d_model: int, n_head: int) -> None:
        super().__init__()
        self.n_head = n_head
        self.q_proj, self.k_proj = nn.Linear(d_model, d_model), nn.Linear(d_model, d_model)
        self.v_proj, self.out_proj = nn.Linear(d_model, d_model), nn.Linear(d_model, d_model)

    def forward(self, x: Tensor, padding: Tensor | None = None) -> Tensor:
        n, length, d = x.shape

        def heads(y: Tensor) -> Tensor:  # (N, L, d) -> (N, H, L, d / H)
            return y.view(n, length, self.n_head, d // self.n_head).transpose(1, 2)

        out = attention(
            heads(self.q_proj(x)), heads(self.k_proj(x)), heads(self.v_proj(x)), padding
        )
        return self.out_proj(out.transpose(1, 2).reshape(n, length, d))  # heads side by side


class EncoderLayer(nn.Module):
    """Post-norm encoder layer: attention, then a ReLU feed-forward, each residual + norm."""

    def __init__(self, d_model: int, n_head: int, d_ff: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.self_attn = SelfAttention(d_model, n_head)
        self.linear1, self.linear2 = nn.Linear(d_model, d_ff), nn.Linear(d_ff, d_model)
        self.norm1, self.norm2 = nn.LayerNorm(d_model, eps=eps), nn.LayerNorm(d_model, eps=eps)

    def forward(self, x: Tensor, padding: Tensor | None = None) -> Tensor:
        """x (N, L, d_model) -> (N, L, d_model); `padding` (N, L) is True at padded positions."""
        x = self.norm1(x + self.self_attn(x, padding))
        return self.norm2(x + self.linear2(torch.relu(self.linear1(x))))
