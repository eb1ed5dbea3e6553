"""Bad input fails with a clear error instead of a wrong answer."""

import pytest
import torch

from phase3_deep.layers_from_scratch import functional as scratch
from phase3_deep.layers_from_scratch import modules as M


def test_linear_rejects_mismatched_features():
    with pytest.raises(ValueError, match="features"):
        scratch.linear(torch.randn(2, 3), torch.randn(4, 5))


def test_conv2d_rejects_wrong_rank_and_channels():
    with pytest.raises(ValueError, match="4-d"):
        scratch.conv2d(torch.randn(3, 5, 5), torch.randn(2, 3, 3, 3))
    with pytest.raises(ValueError, match="channels"):
        scratch.conv2d(torch.randn(1, 2, 5, 5), torch.randn(2, 3, 3, 3))


def test_batch_norm_needs_more_than_one_value_per_channel_to_train():
    with pytest.raises(ValueError, match="more than one"):
        scratch.batch_norm(torch.randn(1, 3), None, None, training=True)
    with pytest.raises(ValueError, match="running"):
        scratch.batch_norm(torch.randn(4, 3), None, None, training=False)


def test_layer_norm_rejects_a_shape_the_input_does_not_end_in():
    with pytest.raises(ValueError, match="does not end in"):
        scratch.layer_norm(torch.randn(2, 5), (4,))


def test_cross_entropy_rejects_out_of_range_and_float_targets():
    with pytest.raises(ValueError, match="out of range"):
        scratch.cross_entropy(torch.randn(2, 3), torch.tensor([0, 3]))
    with pytest.raises(TypeError, match="integer"):
        scratch.cross_entropy(torch.randn(2, 3), torch.tensor([0.0, 1.0]))


def test_cross_entropy_all_ignored_is_nan_like_torch():
    t = torch.tensor([-100, -100])
    assert torch.isnan(scratch.cross_entropy(torch.randn(2, 3), t))
    assert torch.isnan(torch.nn.functional.cross_entropy(torch.randn(2, 3), t))


def test_dropout_and_gelu_reject_bad_options():
    with pytest.raises(ValueError, match="probability"):
        M.Dropout(1.5)
    with pytest.raises(ValueError, match="approximate"):
        scratch.gelu(torch.randn(3), "sigmoid")
