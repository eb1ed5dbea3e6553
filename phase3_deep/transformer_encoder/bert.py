"""A BERT-style encoder from our pieces: word + learned position + token-type embeddings,
layer norm, then post-norm encoder layers with exact GELU. Loads a BertModel's weights."""

from __future__ import annotations

import torch
from torch import nn

from phase3_deep.layers_from_scratch.modules import LayerNorm

from .encoder import TransformerEncoderLayer
from .positions import LearnedPositionalEmbedding


class BertStyleEncoder(nn.Module):
    """Embeddings and `num_layers` post-norm GELU encoder layers (BERT's architecture)."""

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
    ) -> None:
        super().__init__()
        self.word_embeddings = nn.Parameter(torch.randn(vocab_size, d_model) * 0.02)
        self.positions = LearnedPositionalEmbedding(max_len, d_model)
        self.token_type_embeddings = nn.Parameter(torch.randn(type_vocab_size, d_model) * 0.02)
        self.embedding_norm = LayerNorm(d_model, eps=eps)
        self.layers = nn.ModuleList(
            TransformerEncoderLayer(
                d_model, nhead, dim_feedforward, dropout=0.0, activation="gelu", layer_norm_eps=eps
            )
            for _ in range(num_layers)
        )

    @classmethod
    def from_bert(cls, bert) -> BertStyleEncoder:
        """Ours with the config and weights of a transformers BertModel (dropout off)."""
        from .weights import from_bert

        c = bert.config
        if c.hidden_act != "gelu":
            raise ValueError(f"only exact-GELU BERTs are mapped, got {c.hidden_act!r}")
        model = cls(
            c.vocab_size,
            c.hidden_size,
            c.num_hidden_layers,
            c.num_attention_heads,
            c.intermediate_size,
            c.max_position_embeddings,
            c.type_vocab_size,
            c.layer_norm_eps,
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
        x = self.word_embeddings[input_ids] if inputs_embeds is None else inputs_embeds
        types = (
            torch.zeros(x.shape[:2], dtype=torch.long) if token_type_ids is None else token_type_ids
        )
        x = self.embedding_norm(self.positions(x) + self.token_type_embeddings[types])
        padding = None if attention_mask is None else attention_mask == 0
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=padding)
        return x
