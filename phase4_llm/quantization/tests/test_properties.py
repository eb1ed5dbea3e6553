"""Round-trip error bounds, packing, the quantized layer and the memory it saves."""

import pytest
import torch
from torch import nn

from phase4_llm.quantization.four_bit import (
    NF4_LEVELS,
    pack_nibbles,
    quantize_group_int4,
    quantize_nf4,
    unpack_nibbles,
)
from phase4_llm.quantization.int8 import quantize_int8_absmax, quantize_int8_zero_point
from phase4_llm.quantization.qlinear import SCHEMES, QuantLinear, model_bytes, quantize_linears

W = torch.randn(64, 256, generator=torch.Generator().manual_seed(0))


def test_pack_then_unpack_returns_the_codes():
    codes = torch.randint(0, 16, (101,), generator=torch.Generator().manual_seed(0))
    assert pack_nibbles(torch.tensor([1, 2, 3])).tolist() == [0x12, 0x30]
    assert torch.equal(unpack_nibbles(pack_nibbles(codes), 101), codes)


def test_round_trip_errors_stay_within_half_a_quantization_step():
    q8 = quantize_int8_absmax(W)
    assert ((q8.dequantize() - W).abs() <= (q8.absmax / 127 / 2 * 1.0001).unsqueeze(1)).all()
    zp = quantize_int8_zero_point(W)
    assert ((zp.dequantize() - W).abs() <= (zp.scale / 2 * 1.0001).unsqueeze(1)).all()
    g4 = quantize_group_int4(W, 64)
    err = (g4.dequantize() - W).abs().view(64, -1, 64)
    assert (err <= g4.scale.unsqueeze(-1) / 2 * 1.0001).all()


def test_nf4_error_is_at_most_half_the_widest_level_gap():
    nf = quantize_nf4(W, 64)
    widest = (NF4_LEVELS[1:] - NF4_LEVELS[:-1]).max() / 2
    err = (nf.dequantize() - W).abs().view(-1, 64)
    assert (err <= widest * nf.absmax.unsqueeze(1) * 1.0001).all()


def test_zero_point_uses_all_levels_on_a_one_sided_row():
    w = torch.rand(1, 1000, generator=torch.Generator().manual_seed(0))  # all positive
    assert quantize_int8_zero_point(w).codes.unique().numel() > 200
    assert quantize_int8_absmax(w).codes.unique().numel() <= 128


@pytest.mark.parametrize("scheme", SCHEMES)
def test_quant_linear_matches_a_linear_with_the_dequantised_weight(scheme):
    lin = nn.Linear(256, 64)
    q = QuantLinear(lin, scheme)
    x = torch.randn(3, 256)
    expected = nn.functional.linear(x, q.qweight.dequantize(), lin.bias)
    torch.testing.assert_close(q(x), expected, rtol=1e-6, atol=1e-6)
    bound = 0.05 if scheme.startswith("int8") else 0.25  # 16 levels vs 256
    assert (q(x) - lin(x)).abs().max() < bound * lin(x).abs().max()


def test_quantizing_a_model_shrinks_it_and_skips_the_head():
    model = nn.Sequential(nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 256))
    before = model_bytes(model)
    quantize_linears(model, "nf4", skip=("2",))
    assert isinstance(model[0], QuantLinear) and isinstance(model[2], nn.Linear)
    assert model_bytes(model) < 0.7 * before


def test_bad_input_is_rejected_with_a_clear_message():
    with pytest.raises(ValueError, match="scheme"):
        QuantLinear(nn.Linear(4, 4), "int3")
    with pytest.raises(ValueError, match="finite"):
        quantize_nf4(torch.tensor([1.0, float("nan")]))
    with pytest.raises(ValueError, match="NaN"):
        quantize_int8_absmax(torch.tensor([[1.0, float("inf")]]))
    with pytest.raises(ValueError, match="group_size"):
        quantize_group_int4(torch.zeros(2, 10), 64)
    with pytest.raises(ValueError, match="2-D"):
        quantize_int8_zero_point(torch.zeros(3))
