"""Sinusoidal positions equal the paper's formula; learned positions add their table rows."""

import math

import numpy as np
import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.transformer_encoder.positions import (
    LearnedPositionalEmbedding,
    SinusoidalPositionalEncoding,
    sinusoidal_positions,
)


@pytest.mark.parametrize(("length", "dim"), [(1, 1), (5, 4), (9, 7), (64, 32)])
def test_sinusoids_equal_the_formula_computed_in_numpy(length, dim):
    pe = np.zeros((length, dim))
    for p in range(length):
        for i in range(dim):
            angle = p / 10000 ** ((i - i % 2) / dim)
            pe[p, i] = math.sin(angle) if i % 2 == 0 else math.cos(angle)
    with torch.device("cpu"):
        got = sinusoidal_positions(length, dim).double()
    # float32 table (the default dtype) against float64 NumPy: 1e-6 absolute
    assert_parity(
        got, pe, reference=reference_version("numpy"), rtol=0, atol=1e-6, name="sinusoidal table"
    )


def test_sinusoidal_encoding_adds_the_table_and_refuses_long_inputs():
    enc = SinusoidalPositionalEncoding(6, max_len=10)
    x = torch.zeros(2, 4, 6)
    assert torch.equal(enc(x)[1], sinusoidal_positions(4, 6))
    assert "table" not in enc.state_dict()  # fixed: never saved, never trained
    with pytest.raises(ValueError, match="max_len"):
        enc(torch.zeros(1, 11, 6))


def test_learned_positions_receive_gradients_only_for_used_rows():
    emb = LearnedPositionalEmbedding(10, 3)
    emb(torch.zeros(2, 4, 3), start=2).sum().backward()
    used = emb.weight.grad.abs().sum(1) > 0
    assert used.tolist() == [False, False, True, True, True, True, False, False, False, False]
