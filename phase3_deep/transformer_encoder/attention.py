"""Scaled dot-product attention and multi-head attention (batch first: (N, L, E)).

Mask conventions follow the torch function each piece is compared with, and they differ:
- `scaled_dot_product_attention(attn_mask=bool)`: True means "may attend", as
  `torch.nn.functional.scaled_dot_product_attention`;
- `MultiHeadAttention(key_padding_mask=..., attn_mask=bool)`: True means "masked out", as
  `torch.nn.MultiheadAttention`. Float masks are added to the scores in both.
A query row whose every key is masked outputs zeros (with zero gradient), as torch's
scaled_dot_product_attention does since its "safe softmax" change (a plain softmax gives NaN).

What this adds over `minimal.attention` (equal on padding masks): causal and float masks in
both of torch's conventions, the fully-masked-row rule above, attention dropout, an explicit
`scale`, cross-attention (separate key/value inputs) and input checks; every op is this
phase's hand-written autograd (`layers_from_scratch`) instead of torch's.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from phase3_deep.layers_from_scratch import functional as scratch
from phase3_deep.layers_from_scratch.modules import Linear


def causal_mask(length: int, source_length: int | None = None) -> torch.Tensor:
    """Bool (L, S) mask, True where query i may see key j <= i: `causal_mask(3)[0] = [1,0,0]`."""
    s = length if source_length is None else source_length
    return torch.ones(length, s, dtype=torch.bool).tril()


def scaled_dot_product_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    training: bool = True,
) -> torch.Tensor:
    """softmax(q k^T * scale + mask) v over (..., L, E) and (..., S, E), as the torch function."""
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = (query @ key.transpose(-2, -1)) * scale
    if is_causal:
        if attn_mask is not None:
            raise ValueError("pass either attn_mask or is_causal, not both (as torch)")
        attn_mask = causal_mask(query.shape[-2], key.shape[-2]).to(query.device)
    fully_masked = None
    if attn_mask is not None:
        scores = scores + additive_mask(attn_mask, allowed_when_true=True, dtype=scores.dtype)
        # rows with no visible key: softmax would be 0/0; give them finite scores, then zeros
        fully_masked = torch.isneginf(scores).all(dim=-1, keepdim=True)
        scores = scores.masked_fill(fully_masked, 0.0)
    weights = scratch.softmax(scores, dim=-1)
    if fully_masked is not None:
        weights = weights.masked_fill(fully_masked, 0.0)
    if dropout_p > 0.0 and training:
        weights = scratch.dropout(weights, dropout_p, True)
    return weights @ value


def additive_mask(
    mask: torch.Tensor, *, allowed_when_true: bool, dtype: torch.dtype
) -> torch.Tensor:
    """A float mask to add to scores: 0 where attention is allowed, -inf where it is not."""
    if mask.dtype != torch.bool:
        return mask.to(dtype)
    blocked = ~mask if allowed_when_true else mask
    return torch.zeros(mask.shape, dtype=dtype).masked_fill(blocked, float("-inf"))


class MultiHeadAttention(nn.Module):
    """`num_heads` attention heads over `embed_dim` features, with q/k/v/out projections.

    Parameters: q_proj, k_proj, v_proj, out_proj (our Linear). `weights.py` maps torch's packed
    `in_proj_weight` and BERT's query/key/value onto them.
    """

    def __init__(
        self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True
    ) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.head_dim = embed_dim // num_heads
        self.q_proj = Linear(embed_dim, embed_dim, bias)
        self.k_proj = Linear(embed_dim, embed_dim, bias)
        self.v_proj = Linear(embed_dim, embed_dim, bias)
        self.out_proj = Linear(embed_dim, embed_dim, bias)

    def forward(
        self,
        query: torch.Tensor,
        key: torch.Tensor | None = None,
        value: torch.Tensor | None = None,
        key_padding_mask: torch.Tensor | None = None,
        attn_mask: torch.Tensor | None = None,
        is_causal: bool = False,
    ) -> torch.Tensor:
        """Attend from query (N, L, E) to key/value (N, S, E); masks use torch's MHA convention:
        key_padding_mask (N, S) and bool attn_mask (L, S) are True where attention is blocked."""
        key = query if key is None else key
        value = key if value is None else value
        if query.dim() != 3 or query.shape[-1] != self.embed_dim:
            raise ValueError(f"expected (N, L, {self.embed_dim}) input, got {tuple(query.shape)}")
        n, length, _ = query.shape
        source = key.shape[1]
        q, k, v = (
            self._heads(p(t))
            for p, t in ((self.q_proj, query), (self.k_proj, key), (self.v_proj, value))
        )
        mask = None  # additive (N or 1, 1, L or 1, S)
        if is_causal and attn_mask is None:
            attn_mask = ~causal_mask(length, source)
        if attn_mask is not None:
            mask = additive_mask(attn_mask, allowed_when_true=False, dtype=q.dtype)
        if key_padding_mask is not None:
            if key_padding_mask.shape != (n, source):
                raise ValueError(
                    f"key_padding_mask must be (N, S) = {(n, source)}, got "
                    f"{tuple(key_padding_mask.shape)}"
                )
            pad = additive_mask(key_padding_mask, allowed_when_true=False, dtype=q.dtype)
            pad = pad.view(n, 1, 1, source)
            mask = pad if mask is None else mask + pad
        out = scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout, training=self.training
        )
        out = out.transpose(1, 2).reshape(n, length, self.embed_dim)
        return self.out_proj(out)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        n, length, _ = x.shape
        return x.view(n, length, self.num_heads, self.head_dim).transpose(1, 2)
