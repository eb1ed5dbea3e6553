"""Bad configurations and inputs fail with a clear message."""

import pytest
import torch

from phase3_deep.resnet_block.blocks import Bottleneck
from phase3_deep.resnet_block.model import ResNet, ResNetConfig
from phase3_deep.resnet_block.weights import config_from_transformers, ours_name


def test_config_rejects_unknown_layer_type_stem_and_ragged_stages():
    with pytest.raises(ValueError, match="layer_type"):
        ResNetConfig(layer_type="wide")
    with pytest.raises(ValueError, match="stem"):
        ResNetConfig(stem="huge")
    with pytest.raises(ValueError, match="one entry per stage"):
        ResNetConfig(hidden_sizes=[8, 16], depths=[1])


def test_resnet_rejects_images_with_the_wrong_channel_count():
    model = ResNet(
        ResNetConfig(
            num_channels=3, embedding_size=4, hidden_sizes=[4], depths=[1], layer_type="basic"
        )
    )
    with pytest.raises(ValueError, match="images"):
        model(torch.randn(1, 1, 16, 16))


def test_bottleneck_needs_at_least_one_reduced_channel():
    with pytest.raises(ValueError, match="reduction"):
        Bottleneck(4, 2)


def test_unknown_tensor_names_and_activations_are_refused():
    with pytest.raises(KeyError, match="no mapping"):
        ours_name("classifier.1.weight")
    from transformers import ResNetConfig as HFConfig

    with pytest.raises(ValueError, match="ReLU"):
        config_from_transformers(HFConfig(hidden_act="gelu"))
