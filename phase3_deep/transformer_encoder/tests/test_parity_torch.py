"""Attention, multi-head attention, encoder layers (both norm orders) and the LSTM equal torch:
outputs, input gradients and parameter gradients, with padding and causal masks (float64)."""

import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.transformer_encoder import reference_pairs as rp
from phase3_deep.transformer_encoder.attention import causal_mask, scaled_dot_product_attention
from phase3_deep.transformer_encoder.parity import _ours_lstm, _ref_lstm

REF = reference_version("torch")
RTOL, ATOL = 1e-10, 1e-12  # float64, the same formulas up to summation order


def assert_rows(rows, name):
    for what, a, b in rows:
        assert_parity(a, b, reference=REF, rtol=RTOL, atol=ATOL, name=f"{name} {what}")


def padding_mask(lengths, max_len):
    return torch.arange(max_len)[None, :] >= torch.tensor(lengths)[:, None]  # True = padding


@settings(max_examples=15)
@given(
    batch=st.integers(1, 3),
    heads=st.integers(1, 3),
    length=st.integers(1, 6),
    source=st.integers(1, 6),
    dim=st.integers(1, 5),
    kind=st.sampled_from(["none", "bool", "float", "causal"]),
    seed=st.integers(0, 2**16),
)
def test_sdpa_matches_torch_function_with_every_mask_kind(
    batch, heads, length, source, dim, kind, seed
):
    gen = torch.Generator().manual_seed(seed)
    q = torch.randn(batch, heads, length, dim, dtype=torch.float64, generator=gen)
    k, v = torch.randn(2, batch, heads, source, dim, dtype=torch.float64, generator=gen)
    kwargs = {}
    if kind == "bool":  # fully masked rows included: zeros in both
        kwargs = {"attn_mask": torch.rand(length, source, generator=gen) > 0.5}
    elif kind == "float":
        kwargs = {"attn_mask": torch.randn(length, source, dtype=torch.float64, generator=gen)}
    elif kind == "causal":
        kwargs = {"is_causal": True}
    inputs = [q, k, v]
    got = [t.clone().requires_grad_() for t in inputs]
    want = [t.clone().requires_grad_() for t in inputs]
    a = scaled_dot_product_attention(*got, **kwargs)
    b = TF.scaled_dot_product_attention(*want, **kwargs)
    assert_parity(a, b, reference=REF, rtol=RTOL, atol=ATOL, name=f"sdpa {kind}")
    if kind in ("bool", "causal") and torch.isnan(b).any():
        return  # fully masked rows: torch's own gradient is not defined there
    (a * a).sum().backward()
    (b * b).sum().backward()
    for x, y, n in zip(got, want, "qkv", strict=True):
        assert_parity(x.grad, y.grad, reference=REF, rtol=RTOL, atol=ATOL, name=f"sdpa d{n}")


@settings(max_examples=10)
@given(
    batch=st.integers(1, 3),
    length=st.integers(1, 6),
    heads=st.sampled_from([1, 2, 4]),
    causal=st.booleans(),
    data=st.data(),
)
def test_multihead_attention_matches_torch_with_padding_and_causal_masks(
    batch, length, heads, causal, data
):
    lengths = data.draw(st.lists(st.integers(1, length), min_size=batch, max_size=batch))
    pad = padding_mask(lengths, length)
    attn = ~causal_mask(length) if causal else None
    ours, ref, rename = rp.mha_pair(8, heads, seed=length)
    x = torch.randn(batch, length, 8, dtype=torch.float64)
    assert_rows(
        rp.run_both(
            ours,
            ref,
            rename,
            [x],
            lambda m, t: m(t, key_padding_mask=pad, attn_mask=attn),
            lambda m, t: m(t, t, t, key_padding_mask=pad, attn_mask=attn, need_weights=False)[0],
        ),
        "MultiheadAttention",
    )


def test_cross_attention_with_different_source_length_matches_torch():
    ours, ref, rename = rp.mha_pair(8, 2, seed=5)
    q, kv = torch.randn(2, 3, 8, dtype=torch.float64), torch.randn(2, 5, 8, dtype=torch.float64)
    assert_rows(
        rp.run_both(
            ours,
            ref,
            rename,
            [q, kv],
            lambda m, a, b: m(a, b, b),
            lambda m, a, b: m(a, b, b, need_weights=False)[0],
        ),
        "cross-attention",
    )


@pytest.mark.parametrize("norm_first", [False, True], ids=["post-norm", "pre-norm"])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("mask", ["padding", "causal", "both"])
def test_encoder_layer_matches_torch_transformer_encoder_layer(norm_first, activation, mask):
    ours, ref, rename = rp.encoder_pair(norm_first, activation, seed=7)
    x = torch.randn(3, 5, 8, dtype=torch.float64)
    pad = padding_mask([5, 3, 1], 5) if mask != "causal" else None
    causal = ~causal_mask(5) if mask != "padding" else None

    def call(m, t):
        return m(t, src_mask=causal, src_key_padding_mask=pad, is_causal=causal is not None)

    for train in (True, False):  # eval must not take a different (fast) path in either
        assert_rows(
            rp.run_both(ours, ref, rename, [x], call, call, train=train),
            f"encoder {activation} {mask}",
        )


def test_lstm_equals_torch_step_by_step_and_over_the_sequence():
    ours, ref, rename = rp.lstm_pair(3, 5, seed=2)
    x = torch.randn(2, 7, 3, dtype=torch.float64)
    assert_rows(rp.run_both(ours, ref, rename, [x], _ours_lstm, _ref_lstm), "LSTM steps")
    # nn.LSTM over the whole sequence at once: outputs and final (h, c)
    state = (torch.randn(1, 2, 5, dtype=torch.float64), torch.randn(1, 2, 5, dtype=torch.float64))
    out, (h, c) = ours(x, state)
    out_ref, (h_ref, c_ref) = ref(x, state)
    for name, a, b in (("outputs", out, out_ref), ("h_n", h, h_ref), ("c_n", c, c_ref)):
        assert_parity(a.detach(), b.detach(), reference=REF, rtol=RTOL, atol=ATOL, name=name)


def test_lstm_cell_equals_torch_lstm_cell_over_steps_with_gradients():
    from torch import nn

    from phase3_deep.transformer_encoder.lstm import LSTMCell

    torch.manual_seed(4)
    ref = nn.LSTMCell(3, 4).double()
    ours = LSTMCell(3, 4).double()
    ours.load_state_dict(ref.state_dict(), strict=True)
    xs = torch.randn(5, 2, 3, dtype=torch.float64)
    states = {"ours": None, "ref": None}
    total = {"ours": 0.0, "ref": 0.0}
    for t in range(5):
        states["ours"] = ours(xs[t], states["ours"])
        states["ref"] = ref(xs[t], states["ref"])
        for i, what in enumerate(("h", "c")):
            assert_parity(
                states["ours"][i].detach(),
                states["ref"][i].detach(),
                reference=REF,
                rtol=RTOL,
                atol=ATOL,
                name=f"LSTMCell {what} at step {t}",
            )
        for k in total:
            total[k] = total[k] + states[k][0].sum() * (t + 1) + states[k][1].pow(2).sum()
    total["ours"].backward()
    total["ref"].backward()
    theirs = dict(ref.named_parameters())
    for name, p in ours.named_parameters():
        assert_parity(
            p.grad,
            theirs[name].grad,
            reference=REF,
            rtol=RTOL,
            atol=ATOL,
            name=f"LSTMCell {name} grad",
        )


def test_the_comparison_catches_a_perturbed_weight():
    ours, ref, rename = rp.lstm_pair(3, 5, seed=2)
    with torch.no_grad():
        ours.weight_hh_l0[0, 0] += 1e-6
    x = torch.randn(2, 4, 3, dtype=torch.float64)
    what, a, b = rp.run_both(ours, ref, rename, [x], _ours_lstm, _ref_lstm)[0]
    with pytest.raises(AssertionError, match="torch"):
        assert_parity(a, b, reference=REF, rtol=RTOL, atol=ATOL, name=what)
