"""Bad shapes and options fail with a clear message."""

import pytest
import torch

from phase3_deep.transformer_encoder.attention import (
    MultiHeadAttention,
    scaled_dot_product_attention,
)
from phase3_deep.transformer_encoder.encoder import TransformerEncoderLayer
from phase3_deep.transformer_encoder.lstm import LSTM


def test_heads_must_divide_the_embedding():
    with pytest.raises(ValueError, match="divisible"):
        MultiHeadAttention(10, 3)


def test_attention_rejects_wrong_feature_size_and_padding_mask_shape():
    mha = MultiHeadAttention(8, 2)
    with pytest.raises(ValueError, match="input"):
        mha(torch.randn(2, 3, 6))
    with pytest.raises(ValueError, match="key_padding_mask"):
        mha(torch.randn(2, 3, 8), key_padding_mask=torch.zeros(2, 4, dtype=torch.bool))


def test_sdpa_refuses_a_mask_together_with_is_causal():
    q = torch.randn(1, 2, 4)
    with pytest.raises(ValueError, match="either"):
        scaled_dot_product_attention(
            q, q, q, attn_mask=torch.ones(2, 2, dtype=torch.bool), is_causal=True
        )


def test_fully_masked_query_rows_are_zero_as_in_torch_sdpa():
    q = torch.randn(1, 2, 4, requires_grad=True)
    mask = torch.tensor([[False, False], [True, True]])
    out = scaled_dot_product_attention(q, q, q, attn_mask=mask)
    ref = torch.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=mask)
    assert torch.equal(out[0, 0], torch.zeros(4)) and torch.equal(ref[0, 0], torch.zeros(4))
    assert torch.allclose(out[0, 1], ref[0, 1])
    out.sum().backward()
    assert torch.isfinite(q.grad).all()  # no NaN leaks from the empty row into the gradient


def test_encoder_and_lstm_reject_bad_options_and_shapes():
    with pytest.raises(ValueError, match="activation"):
        TransformerEncoderLayer(8, 2, activation="swish")
    with pytest.raises(ValueError, match="input"):
        LSTM(3, 4)(torch.randn(2, 5, 2))
