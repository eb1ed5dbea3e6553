"""Our blocks and ResNet equal transformers' ResNet with the same weights: outputs, input and
parameter gradients and running statistics, in train and eval mode."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.resnet_block.reference_pairs import block_pair, model_pair, run_both
from phase3_deep.resnet_block.weights import from_transformers, ours_name

REF = reference_version("transformers")


@pytest.mark.parametrize(
    ("kind", "cin", "cout", "stride", "dib", "hw"),
    [
        ("basic", 4, 4, 1, False, 5),
        ("basic", 4, 8, 1, False, 6),  # projection because the channels change, stride 1
        ("basic", 4, 8, 2, False, 7),  # odd size with stride 2: padding convention matters
        ("bottleneck", 4, 8, 2, False, 7),
        ("bottleneck", 4, 8, 2, True, 6),
        ("bottleneck", 8, 8, 1, False, 5),
    ],
)
@pytest.mark.parametrize("train", [True, False])
def test_block_equals_transformers_layer(kind, cin, cout, stride, dib, hw, train):
    ours, theirs, names = block_pair(kind, cin, cout, stride, dib, seed=cin + cout)
    x = torch.randn(2, cin, hw, hw, dtype=torch.float64)
    for what, a, b in run_both(ours, theirs, names, x, train):
        # float64, same arithmetic up to summation order
        assert_parity(a, b, reference=REF, rtol=1e-10, atol=1e-12, name=f"{kind} {what}")


@pytest.mark.parametrize("layer_type", ["basic", "bottleneck"])
def test_resnet_model_equals_transformers_over_train_steps_then_eval(layer_type):
    ours, theirs, names = model_pair(layer_type, seed=3)
    gen = torch.Generator().manual_seed(0)
    for train in (True, True, False):  # two steps move the running stats, then eval uses them
        x = torch.randn(2, 3, 24, 24, dtype=torch.float64, generator=gen)
        for what, a, b in run_both(ours, theirs, names, x, train):
            assert_parity(a, b, reference=REF, rtol=1e-10, atol=1e-12, name=f"{layer_type} {what}")


def test_pooled_output_equals_transformers_pooler_in_float32():
    ours, theirs, _ = model_pair("basic", seed=4)
    ours.float().eval()
    theirs.float().eval()
    x = torch.randn(3, 3, 32, 32)
    with torch.no_grad():
        want = theirs(x).pooler_output.flatten(1)
        got = ours(x)
    # float32: the 1e-5 bound (atol too, for pooled values near 0)
    assert_parity(got, want, reference=REF, rtol=1e-5, atol=1e-5, name="pooler_output fp32")


def test_state_dict_mapping_is_one_to_one_and_complete():
    ours, theirs, _ = model_pair("bottleneck")
    mapped = from_transformers(theirs.state_dict())
    assert len(mapped) == len(theirs.state_dict())
    assert set(mapped) == set(ours.state_dict())
    assert ours_name("encoder.stages.1.layers.0.shortcut.normalization.running_var") == (
        "stages.1.0.shortcut.bn.running_var"
    )
    assert ours_name("embedder.embedder.convolution.weight") == "stem.conv.weight"


def test_no_convolution_has_a_bias_like_transformers():
    ours, theirs, _ = model_pair("basic")
    assert not any(n.endswith("conv.bias") or ".conv1.bias" in n for n in ours.state_dict())
    assert not any("convolution.bias" in n for n in theirs.state_dict())
