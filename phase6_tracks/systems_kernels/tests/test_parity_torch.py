"""Each kernel equals torch (in float64) over generated shapes, dtypes and strides."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.systems_kernels.layernorm import layer_norm
from phase6_tracks.systems_kernels.matmul_gelu import matmul_bias_gelu
from phase6_tracks.systems_kernels.parity import TOLERANCE, checks
from phase6_tracks.systems_kernels.softmax import softmax_fused, softmax_naive, softmax_online

TORCH = reference_version("torch")
DTYPES = [torch.float32, torch.float16, torch.bfloat16]


def test_every_parity_check_passes():
    results = checks()
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert len(results) == 20 and not failed, failed


@given(
    rows=st.integers(1, 6),
    cols=st.integers(1, 300),
    dtype=st.sampled_from(DTYPES),
    scale=st.floats(0.1, 30),
    seed=st.integers(0, 1000),
)
def test_softmax_versions_match_torch(rows, cols, dtype, scale, seed):
    x = torch.randn(rows, cols, generator=torch.Generator().manual_seed(seed)) * scale
    x = x.to(dtype)
    want = torch.softmax(x.double(), -1)
    rtol, atol = TOLERANCE[dtype]
    for fn in (softmax_naive, softmax_fused, lambda t: softmax_online(t, block=32)):
        assert_parity(
            fn(x).double(), want, reference=TORCH, rtol=rtol, atol=atol, name=f"softmax {dtype}"
        )


def test_online_softmax_handles_rows_wider_than_the_fused_block_and_minus_inf():
    x = torch.randn(3, 9000)
    x[1, :8000] = -float("inf")  # a row that is mostly masked out, as in causal attention
    assert_parity(
        softmax_online(x).double(),
        torch.softmax(x.double(), -1),
        reference=TORCH,
        rtol=1e-5,
        atol=1e-6,
        name="wide online softmax",
    )
    with pytest.raises(ValueError, match="use softmax_online"):
        softmax_fused(torch.randn(1, 9000))


def test_softmax_keeps_batch_shape_and_accepts_strided_views():
    x = torch.randn(2, 3, 40)[..., ::2]
    assert not x.is_contiguous()
    y = softmax_fused(x)
    assert y.shape == x.shape
    assert_parity(
        y.double(),
        torch.softmax(x.double(), -1),
        reference=TORCH,
        rtol=1e-5,
        atol=1e-6,
        name="strided softmax",
    )


@given(rows=st.integers(1, 5), cols=st.integers(2, 130), seed=st.integers(0, 1000))
def test_layer_norm_forward_and_backward_match_torch(rows, cols, seed):
    gen = torch.Generator().manual_seed(seed)
    x, w, b = (
        torch.randn(rows, cols, generator=gen),
        torch.randn(cols, generator=gen),
        torch.randn(cols, generator=gen),
    )
    dy = torch.randn(rows, cols, generator=gen)
    ours = [t.clone().requires_grad_() for t in (x, w, b)]
    ref = [t.double().requires_grad_() for t in (x, w, b)]
    layer_norm(*ours).backward(dy)
    torch.nn.functional.layer_norm(ref[0], (cols,), ref[1], ref[2]).backward(dy.double())
    # float32 vs float64: rounding in x - mean is multiplied by 1/std in dx, so rows with small
    # variance (few columns) lose digits; atol 1e-4 covers 2-column rows.
    for name, o, r in zip(("dx", "dw", "db"), ours, ref, strict=True):
        assert_parity(
            o.grad.double(),
            r.grad,
            reference=TORCH,
            rtol=1e-4,
            atol=1e-4,
            name=f"layer norm {name}",
        )


@given(
    m=st.integers(1, 70),
    k=st.integers(1, 70),
    n=st.integers(1, 70),
    approx=st.sampled_from(["none", "tanh"]),
    transposed=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_matmul_bias_gelu_matches_torch(m, k, n, approx, transposed, seed):
    gen = torch.Generator().manual_seed(seed)
    a = torch.randn(m, k, generator=gen)
    w = torch.randn(n, k, generator=gen).t() if transposed else torch.randn(k, n, generator=gen)
    b = torch.randn(n, generator=gen)
    want = torch.nn.functional.gelu(a.double() @ w.double() + b.double(), approximate=approx)
    # float32 accumulation over k <= 70 terms of size ~1: relative error ~1e-6.
    assert_parity(
        matmul_bias_gelu(a, w, b, approx).double(),
        want,
        reference=TORCH,
        rtol=1e-5,
        atol=1e-5,
        name="matmul+bias+gelu",
    )


def test_bad_shapes_are_clear_errors():
    with pytest.raises(ValueError, match="do not chain"):
        matmul_bias_gelu(torch.randn(3, 4), torch.randn(5, 6), torch.randn(6))
    with pytest.raises(ValueError, match="bias must have shape"):
        matmul_bias_gelu(torch.randn(3, 4), torch.randn(4, 6), torch.randn(5))
    with pytest.raises(ValueError, match="weight and bias"):
        layer_norm(torch.randn(2, 4), torch.randn(3), torch.randn(3))
    with pytest.raises(ValueError, match="non-empty last dimension"):
        softmax_fused(torch.randn(3, 0))
