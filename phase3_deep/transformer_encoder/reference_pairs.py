"""Ours next to torch's and transformers' modules with the same weights, and the runner that
compares outputs, input gradients and every parameter gradient after one backward pass."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import torch
from torch import nn

from .attention import MultiHeadAttention
from .bert import BertStyleEncoder
from .encoder import TransformerEncoderLayer
from .lstm import LSTM
from .weights import from_bert, from_torch_encoder_layer, from_torch_mha

Rename = Callable[[Mapping[str, torch.Tensor]], dict[str, torch.Tensor]]


def mha_pair(d: int = 8, heads: int = 2, seed: int = 0) -> tuple[nn.Module, nn.Module, Rename]:
    """(ours, nn.MultiheadAttention(batch_first=True), rename) in float64."""
    torch.manual_seed(seed)
    ref = nn.MultiheadAttention(d, heads, batch_first=True).double()
    with torch.no_grad():  # torch zero-initialises the biases; random ones test them
        ref.in_proj_bias.normal_()
        ref.out_proj.bias.normal_()
    ours = MultiHeadAttention(d, heads).double()
    ours.load_state_dict(from_torch_mha(ref.state_dict()), strict=True)
    return ours, ref, from_torch_mha


def encoder_pair(
    norm_first: bool,
    activation: str = "relu",
    d: int = 8,
    heads: int = 2,
    ff: int = 16,
    seed: int = 0,
) -> tuple[nn.Module, nn.Module, Rename]:
    """(ours, nn.TransformerEncoderLayer(batch_first=True), rename), dropout 0, float64."""
    torch.manual_seed(seed)
    ref = nn.TransformerEncoderLayer(
        d, heads, ff, dropout=0.0, activation=activation, batch_first=True, norm_first=norm_first
    ).double()
    with torch.no_grad():
        for p in (ref.self_attn.in_proj_bias, ref.norm1.weight, ref.norm2.bias):
            p.normal_()
    ours = TransformerEncoderLayer(
        d, heads, ff, dropout=0.0, activation=activation, norm_first=norm_first
    ).double()
    ours.load_state_dict(from_torch_encoder_layer(ref.state_dict()), strict=True)
    return ours, ref, from_torch_encoder_layer


def bert_pair(
    seed: int = 0, layers: int = 2, pooler: bool = False
) -> tuple[nn.Module, nn.Module, Rename]:
    """(ours, a tiny random BertModel, rename), dropout 0, float64, no download."""
    from transformers import BertConfig, BertModel

    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=50,
        hidden_size=16,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        attn_implementation="eager",
    )
    ref = BertModel(config, add_pooling_layer=pooler).double()
    return BertStyleEncoder.from_bert(ref), ref, from_bert


def lstm_pair(
    input_size: int = 3, hidden: int = 5, seed: int = 0
) -> tuple[nn.Module, nn.Module, Rename]:
    """(ours, nn.LSTM(batch_first=True), identity rename) in float64."""
    torch.manual_seed(seed)
    ref = nn.LSTM(input_size, hidden, batch_first=True).double()
    ours = LSTM(input_size, hidden).double()
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref, dict


def run_both(
    ours: nn.Module,
    ref: nn.Module,
    rename: Rename,
    inputs: list[torch.Tensor],
    call_ours: Callable,
    call_ref: Callable,
    train: bool = True,
) -> list[tuple[str, torch.Tensor, torch.Tensor]]:
    """Forward and backward through both: [(what, ours, reference)] for the output, the
    gradient of each float input, and all parameter gradients (reference names renamed)."""
    got = _forward_backward(ours, inputs, call_ours, train)
    want = _forward_backward(ref, inputs, call_ref, train)
    out = [("output", got[0], want[0])]
    out += [
        (f"grad of input {i}", a, b) for i, (a, b) in enumerate(zip(got[1], want[1], strict=True))
    ]
    # a parameter the loss does not reach (word embeddings when feeding embeddings) has no
    # grad: count it as zeros on both sides, so a grad present on one side only still shows
    ours_grads = {n: _grad(p) for n, p in ours.named_parameters()}
    ref_grads = rename({n: _grad(p) for n, p in ref.named_parameters()})
    names = sorted(ours_grads)
    out.append(
        (
            "parameter gradients",
            torch.cat([ours_grads[n].flatten() for n in names]),
            torch.cat([ref_grads[n].flatten() for n in names]),
        )
    )
    return out


def _grad(p: torch.Tensor) -> torch.Tensor:
    return p.grad if p.grad is not None else torch.zeros_like(p)


def _forward_backward(model, inputs, call, train):
    model.train(train)
    model.zero_grad()
    leaves = [t.detach().clone().requires_grad_(t.is_floating_point()) for t in inputs]
    out = call(model, *leaves)
    cotangent = torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view_as(out)
    # padded or fully masked positions may be NaN in both; they carry no gradient signal
    (torch.nan_to_num(out) * cotangent).sum().backward()
    return out.detach(), [t.grad for t in leaves if t.requires_grad]
