"""A decoder-only transformer, readable top to bottom (nanoGPT style), GPT-2 or Llama flavour.

`GPT(config)` maps token ids (batch, time) to next-token logits (batch, time, vocab). Pass a
`KVCache` to decode incrementally: positions then start at `cache.length`, and attention sees
the cached keys/values plus the new ones.

What this adds over `minimal.py` (same parameter names, equal logits on a GPT-2 config):
- fused attention (`F.scaled_dot_product_attention`): no (t, t) score matrix kept for backward;
- a KV cache: a decoding step attends to stored keys instead of re-running the whole prefix
  (phase 4 serving's benchmark measures the difference);
- grouped-query heads, rotary or sinusoidal positions, RMSNorm and SwiGLU: Llama weights load;
- GPT-2's config variants (scale flags, float32 upcast, untied head) and dropout for training.
"""

from __future__ import annotations

import math
from typing import cast

import torch
import torch.nn.functional as F
from torch import nn

from .activations import ACTIVATIONS
from .config import GPTConfig
from .kv_cache import KVCache
from .rope import rope_inverse_frequencies


class GPT(nn.Module):
    """Token embedding -> n_layer pre-norm blocks -> final norm -> language-model head."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        if config.position == "learned":
            self.wpe = nn.Embedding(config.block_size, config.n_embd)
        elif config.position == "sinusoidal":
            self.register_buffer(
                "wpe_table",
                sinusoidal_positions(config.block_size, config.n_embd),
                persistent=False,
            )
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config, layer=i) for i in range(config.n_layer))
        self.norm_f = make_norm(config)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        if config.tie_embeddings:
            self.lm_head.weight = self.wte.weight  # GPT-2 and SmolLM2 share input/output embeddings
        self.rotary = RotaryEmbedding(config) if config.position == "rotary" else None
        self.apply(self._init_weights)

    def _init_weights(self, module: nn.Module) -> None:
        # N(0, 0.02) weights and zero biases, as GPT-2 starts every layer. GPT-2 also shrinks
        # the two residual projections per block by 1/sqrt(2 * n_layer); this model does not
        # (it trains small models from scratch, and loads pretrained weights otherwise).
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(
        self,
        idx: torch.Tensor,
        targets: torch.Tensor | None = None,
        cache: KVCache | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Logits (batch, time, vocab) and, when `targets` are given, the mean cross-entropy."""
        if idx.ndim != 2:
            raise ValueError(f"idx must be (batch, time), got shape {tuple(idx.shape)}")
        past = cache.length if cache is not None else 0
        t = idx.shape[1]
        if past + t > self.config.block_size:
            raise ValueError(f"sequence of {past + t} tokens > block_size {self.config.block_size}")
        pos = torch.arange(past, past + t, device=idx.device)
        x = self.wte(idx)
        if self.config.position == "learned":
            x = x + self.wpe(pos)
        elif self.config.position == "sinusoidal":
            x = x + self.wpe_table[pos].to(x.dtype)
        rope = self.rotary(pos, x.dtype) if self.rotary is not None else None
        x = self.drop(x)
        for i, block in enumerate(self.blocks):
            x = block(x, layer=i, rope=rope, cache=cache)
        if cache is not None:
            cache.advance(t)
        logits = self.lm_head(self.norm_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1).float(), targets.flatten())
        return logits, loss

    def new_cache(self, batch_size: int, max_len: int | None = None) -> KVCache:
        """An empty KV cache sized for this model."""
        c = self.config
        p = self.wte.weight
        return KVCache(
            c.n_layer,
            batch_size,
            cast(int, c.n_kv_head),
            c.head_dim,
            max_len or c.block_size,
            dtype=p.dtype,
            device=p.device,
        )


class Block(nn.Module):
    """x + attention(norm(x)), then x + mlp(norm(x))."""

    def __init__(self, config: GPTConfig, layer: int = 0) -> None:
        super().__init__()
        self.norm_1 = make_norm(config)
        self.attn = CausalSelfAttention(config, layer)
        self.norm_2 = make_norm(config)
        self.mlp = MLP(config)

    def forward(
        self,
        x: torch.Tensor,
        *,
        layer: int,
        rope: tuple[torch.Tensor, torch.Tensor] | None,
        cache: KVCache | None,
    ) -> torch.Tensor:
        x = x + self.attn(self.norm_1(x), layer=layer, rope=rope, cache=cache)
        return x + self.mlp(self.norm_2(x))


class CausalSelfAttention(nn.Module):
    """Multi-head (or grouped-query) attention where each position sees only its past."""

    def __init__(self, config: GPTConfig, layer: int = 0) -> None:
        super().__init__()
        self.n_head, self.n_kv_head, self.head_dim = (
            config.n_head,
            cast(int, config.n_kv_head),
            config.head_dim,
        )
        q_width, kv_width = self.n_head * self.head_dim, self.n_kv_head * self.head_dim
        bias = bool(config.attn_bias)
        self.q_proj = nn.Linear(config.n_embd, q_width, bias=bias)
        self.k_proj = nn.Linear(config.n_embd, kv_width, bias=bias)
        self.v_proj = nn.Linear(config.n_embd, kv_width, bias=bias)
        self.o_proj = nn.Linear(q_width, config.n_embd, bias=bias)
        self.dropout = config.dropout
        # The factor on q.k: 1/sqrt(head_dim) as usual; GPT-2 configs may drop it
        # (`scale_attn_weights=False`) or also divide by the layer's number (1-based).
        self.scale = self.head_dim**-0.5 if config.attn_scale_by_head_dim else 1.0
        if config.attn_scale_by_inverse_layer:
            self.scale /= float(layer + 1)
        self.upcast = config.attn_upcast

    def forward(
        self,
        x: torch.Tensor,
        *,
        layer: int,
        rope: tuple[torch.Tensor, torch.Tensor] | None,
        cache: KVCache | None,
    ) -> torch.Tensor:
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.n_head, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.n_kv_head, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.n_kv_head, self.head_dim).transpose(1, 2)
        if rope is not None:
            q, k = apply_rotary(q, *rope), apply_rotary(k, *rope)
        past = 0
        if cache is not None:
            past = cache.length
            k, v = cache.update(layer, k, v)
        # Query i (absolute position past+i) may see key j when j <= past+i.
        mask = None
        if t > 1:
            q_pos = torch.arange(past, past + t, device=x.device)[:, None]
            mask = torch.arange(k.shape[2], device=x.device)[None, :] <= q_pos
        dtype = q.dtype
        if self.upcast:  # scores and softmax in float32 (a no-op in a float32 model)
            q, k, v = q.float(), k.float(), v.float()
        y = self.attend(q, k, v, mask)  # (b, n_head, t, head_dim)
        return self.o_proj(y.to(dtype).transpose(1, 2).reshape(b, t, -1))

    def attend(
        self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None
    ) -> torch.Tensor:
        """softmax(q k^T * scale + mask) v, with each kv head serving its group of q heads."""
        # Grouped-query attention lets SDPA broadcast each kv head over its query heads
        # (`enable_gqa`), bit-identical to copying the heads with `repeat_interleave` but
        # without re-copying the whole cache at every decoding step: the phase 6 profiling
        # study measured that copy at ~11 % of SmolLM2's generation time.
        return F.scaled_dot_product_attention(
            q,
            k,
            v,
            attn_mask=mask,
            dropout_p=self.dropout if self.training else 0.0,
            scale=self.scale,
            enable_gqa=self.n_kv_head != self.n_head,
        )


class MLP(nn.Module):
    """GPT-2: down(act(up(x))), act gelu_new. Llama: down(act(gate(x)) * up(x)), act silu."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.kind = config.mlp
        self.activation = cast(str, config.activation)
        self.act = ACTIVATIONS[self.activation]
        width, bias = cast(int, config.intermediate_size), bool(config.mlp_bias)
        self.up_proj = nn.Linear(config.n_embd, width, bias=bias)
        if self.kind == "swiglu":
            self.gate_proj = nn.Linear(config.n_embd, width, bias=bias)
        self.down_proj = nn.Linear(width, config.n_embd, bias=bias)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.kind == "swiglu":
            h = self.act(self.gate_proj(x)) * self.up_proj(x)
        else:
            h = self.act(self.up_proj(x))
        return self.drop(self.down_proj(h))

    def extra_repr(self) -> str:
        return f"kind={self.kind}, activation={self.activation}"


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * weight, computed in float32 like Llama."""

    def __init__(self, dim: int, eps: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(x.dtype)


def make_norm(config: GPTConfig) -> nn.Module:
    """The configured normalisation layer over n_embd features."""
    if config.norm == "rmsnorm":
        return RMSNorm(config.n_embd, config.norm_eps)
    return nn.LayerNorm(config.n_embd, eps=config.norm_eps, bias=config.bias)


class RotaryEmbedding(nn.Module):
    """cos/sin tables of rotary position embedding (the "rotate half" layout Llama uses).

    Scaled variants (linear, llama3) only change `inv_freq`; see rope.py.
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        inv_freq = rope_inverse_frequencies(config.head_dim, config.rope_theta, config.rope_scaling)
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, pos: torch.Tensor, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """cos and sin of shape (time, head_dim) for the given absolute positions."""
        freqs = pos.float()[:, None] * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(dtype), emb.sin().to(dtype)


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate pairs (x[i], x[i + d/2]) of each head by the position's angle."""
    half = x.shape[-1] // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * cos + rotated * sin


def sinusoidal_positions(n_positions: int, dim: int) -> torch.Tensor:
    """The fixed sin/cos table of "Attention is all you need": (n_positions, dim).

    Example: row 0 is [0, 1, 0, 1, ...] (sin 0, cos 0 interleaved).
    """
    pos = torch.arange(n_positions, dtype=torch.float64)[:, None]
    div = torch.exp(torch.arange(0, dim, 2, dtype=torch.float64) * (-math.log(10000.0) / dim))
    table = torch.zeros(n_positions, dim, dtype=torch.float64)
    table[:, 0::2] = torch.sin(pos * div)
    table[:, 1::2] = torch.cos(pos * div)[:, : dim // 2]
    return table.float()
