"""Generated weights: NF4 and int8 equal bitsandbytes (CPU) bit for bit on every one drawn.

Drawn: shape (1-3 dims for NF4, matrices for int8), every block size bitsandbytes accepts
(32 ... 4096, so blocks longer than the whole tensor too), input dtype, magnitudes from 1e-38
to 1e38, and runs of zeros laid over whole blocks, the trailing partial block, whole rows or
the whole tensor (absmax 0). A few examples by default; the `slow` twins draw many more.
"""

from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.quantization import reference as ref
from phase4_llm.quantization.four_bit import quantize_nf4
from phase4_llm.quantization.int8 import quantize_int8_absmax, quantize_int8_zero_point

BNB = reference_version("bitsandbytes")
TORCH = reference_version("torch")
BLOCKSIZES = [32, 64, 128, 256, 512, 1024, 2048, 4096]  # bitsandbytes' CPU block sizes
DTYPES = [torch.float32, torch.bfloat16, torch.float16]
FEW, MANY = 12, 300


@st.composite
def weights(draw: Any, max_dims: int) -> torch.Tensor:
    """A seeded random tensor with drawn shape, dtype, magnitude and zeroed stretches."""
    shape = draw(st.lists(st.integers(1, 70), min_size=min(2, max_dims), max_size=max_dims))
    dtype = draw(st.sampled_from(DTYPES))
    exponent = draw(st.integers(-38, 38) if dtype == torch.float32 else st.integers(-4, 4))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**16)))
    w = torch.randn(*shape, generator=gen) * 10.0**exponent
    if dtype == torch.float32:
        w = w.clamp(-3e38, 3e38)  # randn * 1e38 may overflow to inf
    flat = w.view(-1)
    for _ in range(draw(st.integers(0, 3))):  # zeroed stretches: blocks, tails, everything
        start = draw(st.integers(0, flat.numel() - 1))
        flat[start : start + draw(st.sampled_from([32, 64, 128, flat.numel()]))] = 0.0
    return w.to(dtype)


def check_nf4(w: torch.Tensor, blocksize: int) -> None:
    ours = quantize_nf4(w, blocksize)
    packed, absmax, deq = ref.bnb_nf4(w, blocksize)
    # same float32 operations in the same order: exact
    assert_parity(ours.packed, packed, reference=BNB, exact=True, name="nf4 codes")
    assert_parity(ours.absmax, absmax, reference=BNB, exact=True, name="nf4 absmax")
    assert_parity(ours.dequantize(), deq, reference=BNB, exact=True, name="nf4 dequantised")


def check_int8(w: torch.Tensor) -> None:
    q = quantize_int8_absmax(w)
    codes, stats, deq = ref.bnb_int8_rows(w)
    assert_parity(q.codes, codes, reference=BNB, exact=True, name="int8 codes")
    assert_parity(q.absmax, stats, reference=BNB, exact=True, name="int8 row absmax")
    assert_parity(q.dequantize(), deq, reference=BNB, exact=True, name="int8 dequantised")
    zp = quantize_int8_zero_point(w)
    t_codes, t_deq = ref.torch_per_channel_int8(w.float(), zp.scale, zp.zero_point)
    assert_parity(zp.codes, t_codes, reference=TORCH, exact=True, name="zero-point codes")
    # torch keeps scales in float64: float32 rounding of the product, 1e-6
    assert_parity(
        zp.dequantize(), t_deq, reference=TORCH, rtol=1e-6, atol=1e-7, name="zero-point values"
    )


@settings(max_examples=FEW)
@given(w=weights(max_dims=3), blocksize=st.sampled_from(BLOCKSIZES))
def test_generated_nf4_equals_bitsandbytes(w, blocksize):
    check_nf4(w, blocksize)


@settings(max_examples=FEW)
@given(w=weights(max_dims=2))
def test_generated_int8_equals_bitsandbytes_and_torch(w):
    check_int8(w)


@pytest.mark.slow
@settings(max_examples=MANY)
@given(w=weights(max_dims=3), blocksize=st.sampled_from(BLOCKSIZES))
def test_many_generated_nf4_equal_bitsandbytes(w, blocksize):
    check_nf4(w, blocksize)


@pytest.mark.slow
@settings(max_examples=MANY)
@given(w=weights(max_dims=2))
def test_many_generated_int8_equal_bitsandbytes_and_torch(w):
    check_int8(w)


def test_all_zero_weights_quantize_to_zero_like_bitsandbytes():
    for shape, blocksize in (((3, 64), 64), ((5, 7), 32), ((130,), 64)):
        check_nf4(torch.zeros(shape), blocksize)
        assert not quantize_nf4(torch.zeros(shape), blocksize).dequantize().any()
    check_int8(torch.zeros(4, 9))


def test_shapes_and_block_sizes_outside_the_supported_space_are_refused():
    with pytest.raises(ValueError, match="blocksize"):
        quantize_nf4(torch.ones(4, 4), 3)
    with pytest.raises(ValueError, match="non-empty"):
        quantize_nf4(torch.ones(0, 4))
    with pytest.raises(ValueError, match="2-D"):
        quantize_int8_absmax(torch.ones(2, 3, 4))
    with pytest.raises(ValueError, match="2-D"):
        quantize_int8_absmax(torch.ones(0, 4))


def test_zero_point_codes_round_half_way_values_like_torch():
    # bf16 weights often land exactly half-way between two codes (here -82.5 steps from 0):
    # torch adds the zero-point before rounding, so ties break on the shifted value.
    w = (torch.randn(8, 2, generator=torch.Generator().manual_seed(1)) * 1e-2).bfloat16()
    zp = quantize_int8_zero_point(w)
    codes, _ = ref.torch_per_channel_int8(w.float(), zp.scale, zp.zero_point)
    assert_parity(zp.codes, codes, reference=TORCH, exact=True, name="zero-point codes")
