"""The minimal encoder layer (`minimal.py`) against torch's attention and encoder layer, and
against the full `TransformerEncoderLayer` of this milestone (float64)."""

import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.transformer_encoder import minimal
from phase3_deep.transformer_encoder.reference_pairs import encoder_pair

TORCH = reference_version("torch")
TOL = dict(rtol=1e-10, atol=1e-12)  # float64, one layer: rounding only


def _padding() -> torch.Tensor:
    pad = torch.zeros(3, 6, dtype=torch.bool)
    pad[1, 4:] = True  # the second sequence has 4 tokens, the third 1
    pad[2, 1:] = True
    return pad


def test_attention_equals_torch_sdpa_with_padding():
    q, k, v = torch.randn(
        3, 3, 2, 6, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(0)
    )
    pad = _padding()
    assert_parity(
        minimal.attention(q, k, v, pad),
        torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=~pad[:, None, None, :]),
        reference=f"{TORCH} scaled_dot_product_attention",
        **TOL,
        name="attention with padding",
    )


def test_layer_equals_torch_encoder_layer_and_the_full_one():
    full, ref, _ = encoder_pair(norm_first=False, d=8, heads=2, ff=16, seed=1)
    ours = minimal.EncoderLayer(8, 2, 16).double().eval()
    ours.load_state_dict(full.state_dict(), strict=True)  # the full layer's names, unchanged
    x = torch.randn(3, 6, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    pad = _padding()
    got = ours(x, pad)
    with torch.no_grad():
        expected_torch = ref.eval()(x, src_key_padding_mask=pad)
        expected_full = full.eval()(x, src_key_padding_mask=pad)
    # torch's fast path returns zeros at padded query positions; compare the real tokens.
    keep = ~pad
    assert_parity(
        got[keep].detach(),
        expected_torch[keep],
        reference=f"{TORCH} nn.TransformerEncoderLayer",
        **TOL,
        name="encoder layer vs torch",
    )
    assert_parity(
        got.detach(),
        expected_full,
        reference="the full phase3_deep.transformer_encoder layer",
        **TOL,
        name="encoder layer vs full",
    )
