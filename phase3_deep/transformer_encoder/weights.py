"""State-dict mappings from torch's and transformers' modules to ours.

torch.nn.MultiheadAttention packs q, k, v into `in_proj_weight` (3E, E) and `in_proj_bias`;
ours keeps three Linear layers, so the packed tensors are split in q, k, v order. Every other
name of nn.TransformerEncoderLayer is already ours. BERT's names map as

| transformers BertLayer           | ours                   |
|----------------------------------|------------------------|
| attention.self.query/key/value   | self_attn.q/k/v_proj   |
| attention.output.dense           | self_attn.out_proj     |
| attention.output.LayerNorm       | norm1                  |
| intermediate.dense               | linear1                |
| output.dense                     | linear2                |
| output.LayerNorm                 | norm2                  |

and outside the layers: embeddings.* as in `bert_name`, pooler.dense -> pooler.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch

BERT_LAYER_NAMES = {
    "attention.self.query": "self_attn.q_proj",
    "attention.self.key": "self_attn.k_proj",
    "attention.self.value": "self_attn.v_proj",
    "attention.output.dense": "self_attn.out_proj",
    "attention.output.LayerNorm": "norm1",
    "intermediate.dense": "linear1",
    "output.dense": "linear2",
    "output.LayerNorm": "norm2",
}


def from_torch_mha(
    state_dict: Mapping[str, torch.Tensor], prefix: str = ""
) -> dict[str, torch.Tensor]:
    """Split `{prefix}in_proj_weight/bias` into q/k/v projections; other names pass through."""
    out = {}
    for name, tensor in state_dict.items():
        if name.startswith(prefix) and name[len(prefix) :] in ("in_proj_weight", "in_proj_bias"):
            kind = "weight" if name.endswith("weight") else "bias"
            for proj, part in zip(
                ("q_proj", "k_proj", "v_proj"), tensor.chunk(3, dim=0), strict=True
            ):
                out[f"{prefix}{proj}.{kind}"] = part.clone()
        else:
            out[name] = tensor
    return out


def from_torch_encoder_layer(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """nn.TransformerEncoderLayer state dict -> ours (only the attention packing differs)."""
    return from_torch_mha(state_dict, prefix="self_attn.")


def bert_layer_name(name: str) -> str:
    """`attention.self.query.weight -> self_attn.q_proj.weight` (one BertLayer's tensors)."""
    module, _, kind = name.rpartition(".")
    if module not in BERT_LAYER_NAMES:
        raise KeyError(f"no mapping for BertLayer tensor {name!r}")
    return f"{BERT_LAYER_NAMES[module]}.{kind}"


def bert_name(name: str) -> str:
    """A BertModel tensor name -> our BertStyleEncoder's."""
    name = name.removeprefix("bert.")
    if name.startswith("encoder.layer."):
        index, _, rest = name.removeprefix("encoder.layer.").partition(".")
        return f"layers.{index}.{bert_layer_name(rest)}"
    table = {
        "embeddings.word_embeddings.weight": "word_embeddings",
        "embeddings.position_embeddings.weight": "positions.weight",
        "embeddings.token_type_embeddings.weight": "token_type_embeddings",
        "embeddings.LayerNorm.weight": "embedding_norm.weight",
        "embeddings.LayerNorm.bias": "embedding_norm.bias",
        "pooler.dense.weight": "pooler.weight",
        "pooler.dense.bias": "pooler.bias",
    }
    if name not in table:
        raise KeyError(f"no mapping for BertModel tensor {name!r}")
    return table[name]


def from_bert(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A BertModel state dict (with or without pooler) renamed for BertStyleEncoder; buffers
    are skipped."""
    return {
        bert_name(k): v
        for k, v in state_dict.items()
        if not k.endswith("position_ids") and not k.endswith("token_type_ids")
    }
