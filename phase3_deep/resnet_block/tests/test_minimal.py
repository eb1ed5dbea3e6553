"""The minimal residual block (`minimal.py`) against transformers' `ResNetBasicLayer` and the
full `BasicBlock` of this milestone, with the same weights and batch-norm statistics."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.resnet_block import minimal
from phase3_deep.resnet_block.reference_pairs import block_pair

TRANSFORMERS = reference_version("transformers")
TOL = dict(rtol=1e-10, atol=1e-12)  # float64, two convolutions and batch norms


@pytest.mark.parametrize(("c_in", "c_out", "stride"), [(4, 4, 1), (4, 8, 2)])
@pytest.mark.parametrize("train", [False, True])
def test_block_equals_transformers_and_the_full_block(c_in, c_out, stride, train):
    full, ref, _ = block_pair("basic", c_in, c_out, stride, seed=c_out)
    ours = minimal.BasicBlock(c_in, c_out, stride).double()
    ours.load_state_dict(full.state_dict(), strict=True)  # the full block's names, unchanged
    for m in (ours, ref, full):
        m.train(train)
    x = torch.randn(2, c_in, 7, 9, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    got = ours(x)
    mode = "train" if train else "eval"
    with torch.no_grad():
        want_ref = ref(x)
        want_full = full(x)
    name = f"block {c_in}->{c_out}/{stride} {mode}"
    assert_parity(
        got.detach(), want_ref, reference=f"{TRANSFORMERS} ResNetBasicLayer", **TOL, name=name
    )
    assert_parity(
        got.detach(), want_full, reference="the full BasicBlock", **TOL, name=f"{name} vs full"
    )
