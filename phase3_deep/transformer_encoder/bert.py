"""A BERT-style encoder from our pieces: word + learned position + token-type embeddings,
layer norm, then post-norm encoder layers, and BERT's pooler. Loads a BertModel's weights.

Supported BertConfig space (anything else is refused by `from_bert`): any vocab, width, depth,
heads dividing the width, intermediate size, max positions, type vocab, layer-norm eps,
pad token, dropout rates; activations in `BERT_ACTIVATIONS`; absolute positions; encoder only.
"""

from __future__ import annotations

import torch
from torch import nn

from phase3_deep.layers_from_scratch.modules import Dropout, LayerNorm, Linear

from .encoder import TransformerEncoderLayer
from .positions import LearnedPositionalEmbedding

# transformers' hidden_act -> (our activation, GELU approximation). gelu_new is the tanh
# formula written out in Python; it agrees with torch's tanh GELU to rounding.
BERT_ACTIVATIONS = {
    "gelu": ("gelu", "none"),
    "relu": ("relu", "none"),
    "gelu_pytorch_tanh": ("gelu", "tanh"),
    "gelu_new": ("gelu", "tanh"),
}


class BertStyleEncoder(nn.Module):
    """Embeddings, `num_layers` post-norm encoder layers and an optional pooler (BERT)."""

    def __init__(
        self,
        vocab_size: int,
        d_model: int,
        num_layers: int,
        nhead: int,
        dim_feedforward: int,
        max_len: int = 512,
        type_vocab_size: int = 2,
        eps: float = 1e-12,
        activation: str = "gelu",
        pooler: bool = False,
        pad_token_id: int | None = None,
        hidden_dropout: float = 0.0,
        attention_dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if activation not in BERT_ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(BERT_ACTIVATIONS)}")
        act, approximate = BERT_ACTIVATIONS[activation]
        self.pad_token_id = pad_token_id
        self.word_embeddings = nn.Parameter(torch.randn(vocab_size, d_model) * 0.02)
        self.positions = LearnedPositionalEmbedding(max_len, d_model)
        self.token_type_embeddings = nn.Parameter(torch.randn(type_vocab_size, d_model) * 0.02)
        self.embedding_norm = LayerNorm(d_model, eps=eps)
        self.embedding_dropout = Dropout(hidden_dropout)
        self.layers = nn.ModuleList()
        for _ in range(num_layers):
            layer = TransformerEncoderLayer(
                d_model,
                nhead,
                dim_feedforward,
                dropout=hidden_dropout,
                activation=act,
                layer_norm_eps=eps,
                approximate_gelu=approximate,
            )
            # BERT drops attention weights at its own rate and nothing after the activation.
            layer.self_attn.dropout = attention_dropout
            layer.dropout = Dropout(0.0)
            self.layers.append(layer)
        self.pooler = Linear(d_model, d_model) if pooler else None

    @classmethod
    def from_bert(cls, bert) -> BertStyleEncoder:
        """Ours with the config and weights of a transformers BertModel, pooler included.

        Raises ValueError for a configuration outside the supported space (module docstring).
        """
        from .weights import from_bert

        c = bert.config
        check_bert_config(c)
        model = cls(
            c.vocab_size,
            c.hidden_size,
            c.num_hidden_layers,
            c.num_attention_heads,
            c.intermediate_size,
            c.max_position_embeddings,
            c.type_vocab_size,
            c.layer_norm_eps,
            activation=c.hidden_act,
            pooler=getattr(bert, "pooler", None) is not None,
            pad_token_id=c.pad_token_id,
            hidden_dropout=c.hidden_dropout_prob,
            attention_dropout=c.attention_probs_dropout_prob,
        )
        dtype = bert.embeddings.word_embeddings.weight.dtype
        model.to(dtype).load_state_dict(from_bert(bert.state_dict()), strict=True)
        return model

    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask=None,
        inputs_embeds: torch.Tensor | None = None,
        token_type_ids=None,
    ) -> torch.Tensor:
        """Hidden states (N, L, d); attention_mask (N, L) is 1 for tokens, 0 for padding (BERT)."""
        if (input_ids is None) == (inputs_embeds is None):
            raise ValueError("pass exactly one of input_ids and inputs_embeds")
        if input_ids is not None:
            x = self.word_embeddings[input_ids]
            if self.pad_token_id is not None:
                # nn.Embedding(padding_idx=...): the pad row gets no gradient
                is_pad = (input_ids == self.pad_token_id).unsqueeze(-1)
                x = torch.where(is_pad, x.detach(), x)
        else:
            assert inputs_embeds is not None  # checked above; narrows the type
            x = inputs_embeds
        types = (
            torch.zeros(x.shape[:2], dtype=torch.long) if token_type_ids is None else token_type_ids
        )
        x = self.embedding_norm(self.positions(x) + self.token_type_embeddings[types])
        x = self.embedding_dropout(x)
        padding = None if attention_mask is None else attention_mask == 0
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=padding)
        return x

    def pool(self, hidden: torch.Tensor) -> torch.Tensor:
        """BERT's pooled output: tanh(dense(hidden state of the first token)), (N, d)."""
        if self.pooler is None:
            raise ValueError(
                "this encoder has no pooler (its BertModel had add_pooling_layer=False)"
            )
        return torch.tanh(self.pooler(hidden[:, 0]))


def check_bert_config(c) -> None:
    """Raise ValueError if a BertConfig asks for something BertStyleEncoder does not implement."""
    if c.hidden_act not in BERT_ACTIVATIONS:
        raise ValueError(
            f"hidden_act {c.hidden_act!r} is not implemented; supported: {sorted(BERT_ACTIVATIONS)}"
        )
    position = getattr(c, "position_embedding_type", "absolute")
    if position != "absolute":
        raise ValueError(f"position_embedding_type {position!r} is not implemented (absolute only)")
    if getattr(c, "is_decoder", False) or getattr(c, "add_cross_attention", False):
        raise ValueError("decoder BERTs (is_decoder / add_cross_attention) are not implemented")
