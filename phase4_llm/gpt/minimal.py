"""The smallest GPT-2: token + position embeddings, pre-norm blocks, tied head (nanoGPT size).

The idea only: one flavour (GPT-2: learned positions, LayerNorm, tanh-GELU MLP, biases),
plain multi-head attention written out as softmax(q k^T / sqrt(d) + causal mask) v, no KV
cache, no dropout. Parameter names equal the full model's (`model.py`), so a state dict moves
between the two unchanged; `from_gpt2` maps a transformers `GPT2LMHeadModel` in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn


@dataclass
class Config:
    vocab_size: int = 256
    block_size: int = 64  # longest sequence (rows of the position table)
    n_layer: int = 2
    n_head: int = 4
    n_embd: int = 64
    norm_eps: float = 1e-5


def causal_self_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax(q k^T / sqrt(head_dim)) v where position i only sees positions j <= i.

    q, k, v: (batch, heads, time, head_dim) -> (batch, heads, time, head_dim).
    Hint: fill the scores above the diagonal with -inf before the softmax over the last axis.
    """
    t, d = q.shape[-2], q.shape[-1]
    scores = q @ k.transpose(-2, -1) / math.sqrt(d)  # (b, h, t, t)
    future = torch.triu(torch.ones(t, t, dtype=torch.bool, device=q.device), diagonal=1)
    scores = scores.masked_fill(future, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v  # (b, h, t, head_dim)


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    """GPT-2's GELU: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

    Hint: write the formula with torch.tanh; no learned parameters.
    """
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


class Attention(nn.Module):
    def __init__(self, c: Config) -> None:
        super().__init__()
        self.n_head = c.n_head
        self.q_proj, self.k_proj, self.v_proj, self.o_proj = (
            nn.Linear(c.n_embd, c.n_embd) for _ in range(4)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, e = x.shape
        h = self.n_head

        def heads(y: torch.Tensor) -> torch.Tensor:  # (b, t, e) -> (b, h, t, e / h)
            return y.view(b, t, h, e // h).transpose(1, 2)

        y = causal_self_attention(
            heads(self.q_proj(x)), heads(self.k_proj(x)), heads(self.v_proj(x))
        )
        return self.o_proj(y.transpose(1, 2).reshape(b, t, e))  # heads back side by side


class MLP(nn.Module):
    def __init__(self, c: Config) -> None:
        super().__init__()
        self.up_proj = nn.Linear(c.n_embd, 4 * c.n_embd)
        self.down_proj = nn.Linear(4 * c.n_embd, c.n_embd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(gelu_tanh(self.up_proj(x)))


class Block(nn.Module):
    def __init__(self, c: Config) -> None:
        super().__init__()
        self.norm_1, self.norm_2 = (
            nn.LayerNorm(c.n_embd, c.norm_eps),
            nn.LayerNorm(c.n_embd, c.norm_eps),
        )
        self.attn, self.mlp = Attention(c), MLP(c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm_1(x))  # pre-norm: the residual stream itself is never normed
        return x + self.mlp(self.norm_2(x))


class GPT(nn.Module):
    """Token ids (batch, time) -> next-token logits (batch, time, vocab)."""

    def __init__(self, c: Config) -> None:
        super().__init__()
        self.wte = nn.Embedding(c.vocab_size, c.n_embd)
        self.wpe = nn.Embedding(c.block_size, c.n_embd)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.n_layer))
        self.norm_f = nn.LayerNorm(c.n_embd, c.norm_eps)
        self.lm_head = nn.Linear(c.n_embd, c.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # GPT-2 reads and writes tokens with one table

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(idx.shape[1], device=idx.device)  # (t,)
        x = self.wte(idx) + self.wpe(pos)  # (b, t, e) + (t, e)
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.norm_f(x))  # (b, t, vocab)


def from_gpt2(hf_model: Any) -> GPT:
    """Our minimal GPT with the weights of a transformers `GPT2LMHeadModel` (eval mode)."""
    hc = hf_model.config
    # Refuse what this model does not implement rather than ignore it.
    assert hc.activation_function == "gelu_new" and hc.n_inner is None and hc.scale_attn_weights
    assert not hc.scale_attn_by_inverse_layer_idx and hc.tie_word_embeddings
    assert not hc.add_cross_attention and not hc.reorder_and_upcast_attn
    c = Config(
        hc.vocab_size, hc.n_positions, hc.n_layer, hc.n_head, hc.n_embd, hc.layer_norm_epsilon
    )
    sd, e = hf_model.state_dict(), c.n_embd
    out = {"wte.weight": sd["transformer.wte.weight"], "wpe.weight": sd["transformer.wpe.weight"]}
    out |= {f"norm_f.{p}": sd[f"transformer.ln_f.{p}"] for p in ("weight", "bias")}
    for i in range(c.n_layer):
        src, dst = f"transformer.h.{i}.", f"blocks.{i}."
        for p in ("weight", "bias"):
            out[f"{dst}norm_1.{p}"] = sd[f"{src}ln_1.{p}"]
            out[f"{dst}norm_2.{p}"] = sd[f"{src}ln_2.{p}"]
        # GPT-2 stores projections as Conv1D, weight (in, out): transpose to Linear's (out, in);
        # c_attn holds q | k | v side by side along its output axis.
        qkv_w, qkv_b = sd[f"{src}attn.c_attn.weight"].t(), sd[f"{src}attn.c_attn.bias"]
        for j, name in enumerate(("q_proj", "k_proj", "v_proj")):
            out[f"{dst}attn.{name}.weight"] = qkv_w[j * e : (j + 1) * e]  # (e, e)
            out[f"{dst}attn.{name}.bias"] = qkv_b[j * e : (j + 1) * e]
        for hf_name, ours in (
            ("attn.c_proj", "attn.o_proj"),
            ("mlp.c_fc", "mlp.up_proj"),
            ("mlp.c_proj", "mlp.down_proj"),
        ):
            out[f"{dst}{ours}.weight"] = sd[f"{src}{hf_name}.weight"].t()
            out[f"{dst}{ours}.bias"] = sd[f"{src}{hf_name}.bias"]
    out["lm_head.weight"] = out["wte.weight"]
    model = GPT(c)
    model.load_state_dict(out, strict=True)
    return model.eval()
