"""NF4 and int8 codes and dequantised values equal bitsandbytes (CPU) bit for bit."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.quantization import reference as ref
from phase4_llm.quantization.four_bit import quantize_nf4
from phase4_llm.quantization.int8 import quantize_int8_absmax, quantize_int8_zero_point
from phase4_llm.quantization.parity import checks

BNB = reference_version("bitsandbytes")
TORCH = reference_version("torch")


# bitsandbytes compiles its CPU dequantiser once per shape, so shapes come from a short list.
@settings(max_examples=12)
@given(
    shape=st.sampled_from([(1, 1), (7, 9), (3, 100), (40, 300), (64, 64)]),
    blocksize=st.sampled_from([64, 128]),
    scale=st.floats(1e-3, 10.0),
    seed=st.integers(0, 2**16),
)
def test_nf4_codes_and_values_equal_bitsandbytes(shape, blocksize, scale, seed):
    w = torch.randn(*shape, generator=torch.Generator().manual_seed(seed)) * scale
    ours = quantize_nf4(w, blocksize)
    packed, absmax, deq = ref.bnb_nf4(w, blocksize)
    # same float32 operations in the same order: exact
    assert_parity(ours.packed, packed, reference=BNB, exact=True, name="nf4 codes")
    assert_parity(ours.absmax, absmax, reference=BNB, exact=True, name="nf4 absmax")
    assert_parity(ours.dequantize(), deq, reference=BNB, exact=True, name="nf4 dequantised")


@settings(max_examples=25)
@given(
    rows=st.integers(1, 40),
    cols=st.integers(1, 300),
    scale=st.floats(1e-3, 10.0),
    seed=st.integers(0, 2**16),
)
def test_int8_vectorwise_equals_bitsandbytes(rows, cols, scale, seed):
    w = torch.randn(rows, cols, generator=torch.Generator().manual_seed(seed)) * scale
    q = quantize_int8_absmax(w)
    codes, stats, deq = ref.bnb_int8_rows(w)
    assert_parity(q.codes, codes, reference=BNB, exact=True, name="int8 codes")
    assert_parity(q.absmax, stats, reference=BNB, exact=True, name="int8 row absmax")
    assert_parity(q.dequantize(), deq, reference=BNB, exact=True, name="int8 dequantised")


@pytest.mark.parametrize("shift", [0.0, 3.0, -3.0])
def test_int8_zero_point_equals_torch_per_channel_quantization(shift):
    w = torch.randn(16, 100, generator=torch.Generator().manual_seed(1)) + shift
    zp = quantize_int8_zero_point(w)
    codes, deq = ref.torch_per_channel_int8(w, zp.scale, zp.zero_point)
    assert_parity(zp.codes, codes, reference=TORCH, exact=True, name="int8 zero-point codes")
    # torch keeps scales in float64: float32 rounding of the product, 1e-6
    assert_parity(
        zp.dequantize(), deq, reference=TORCH, rtol=1e-6, atol=1e-7, name="zero-point values"
    )


def test_every_parity_check_passes():
    results = checks()
    failed = [r for r in results if not r.passed]
    assert results and not failed, failed
