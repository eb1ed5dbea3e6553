"""The minimal int8 quantization (`minimal.py`) against bitsandbytes' vector-wise int8, torch's
per-channel quantized tensors and the full `int8.py` / `QuantLinear`."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.quantization import minimal
from phase4_llm.quantization.int8 import quantize_int8_absmax
from phase4_llm.quantization.reference import bnb_int8_rows, torch_per_channel_int8

BNB = reference_version("bitsandbytes")
FULL = "the full phase4_llm.quantization"


@pytest.fixture(scope="module")
def weight() -> torch.Tensor:
    w = torch.randn(48, 96, generator=torch.Generator().manual_seed(0))
    w[3] *= 40.0  # one large row: per-row scales keep the others' resolution
    return w


def test_codes_equal_bitsandbytes_and_torch_per_channel(weight):
    codes, scale = minimal.quantize_absmax(weight)
    bnb_codes, bnb_absmax, _ = bnb_int8_rows(weight)
    assert_parity(
        codes, bnb_codes, reference=f"{BNB} int8_vectorwise_quant", exact=True, name="codes"
    )
    assert_parity(scale * 127, bnb_absmax, reference=BNB, rtol=1e-6, name="row absmax")
    torch_codes, _ = torch_per_channel_int8(weight, scale, torch.zeros(48, dtype=torch.long))
    torch_ref = f"{reference_version('torch')} quantize_per_channel"
    assert_parity(codes, torch_codes, reference=torch_ref, exact=True, name="codes vs torch")


def test_dequantized_weight_equals_the_full_version(weight):
    codes, scale = minimal.quantize_absmax(weight)
    full = quantize_int8_absmax(weight)
    assert_parity(
        codes, full.codes, reference=f"{FULL} int8 codes", exact=True, name="codes vs full"
    )
    # The full version multiplies by bitsandbytes' float32 1/127: the same value to 1 ulp.
    assert_parity(
        minimal.dequantize(codes, scale),
        full.dequantize(),
        reference=f"{FULL} dequantize",
        rtol=1e-6,
        atol=1e-6,
        name="dequantized weight",
    )


def test_quantized_linear_is_close_to_the_float_layer(weight):
    x = torch.randn(5, 96, generator=torch.Generator().manual_seed(1))
    bias = torch.randn(48, generator=torch.Generator().manual_seed(2))
    codes, scale = minimal.quantize_absmax(weight)
    # Rounding error per weight <= scale / 2; summed over 96 inputs of size ~1.
    bound = float((scale.max() / 2) * x.abs().sum(1).max())
    assert_parity(
        minimal.quantized_linear(x, codes, scale, bias),
        torch.nn.functional.linear(x, weight, bias),
        reference=f"{reference_version('torch')} linear (float weight)",
        atol=bound,
        rtol=0.0,
        name="int8 linear",
    )
