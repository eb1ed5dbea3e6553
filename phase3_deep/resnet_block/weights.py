"""The documented state-dict mapping between transformers' ResNetModel and ours.

| transformers                                         | ours                        |
|------------------------------------------------------|-----------------------------|
| embedder.embedder.convolution.*                      | stem.conv.*                 |
| embedder.embedder.normalization.*                    | stem.bn.*                   |
| encoder.stages.{i}.layers.{j}.layer.{k}.convolution.*   | stages.{i}.{j}.conv{k+1}.*  |
| encoder.stages.{i}.layers.{j}.layer.{k}.normalization.* | stages.{i}.{j}.bn{k+1}.*    |
| encoder.stages.{i}.layers.{j}.shortcut.convolution.*    | stages.{i}.{j}.shortcut.conv.* |
| encoder.stages.{i}.layers.{j}.shortcut.normalization.*  | stages.{i}.{j}.shortcut.bn.*   |

Every name maps one to one (buffers included: running_mean, running_var,
num_batches_tracked) and no tensor changes shape: no conv has a bias on either side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import torch

from .model import ResNet, ResNetConfig

_RULES = [
    (r"^embedder\.embedder\.convolution\.", "stem.conv."),
    (r"^embedder\.embedder\.normalization\.", "stem.bn."),
]
_IN_STAGE = re.compile(r"^encoder\.stages\.(\d+)\.layers\.(\d+)\.(.+)$")


def ours_name(hf_name: str) -> str:
    """`encoder.stages.0.layers.1.layer.0.convolution.weight -> stages.0.1.conv1.weight`."""
    hf_name = hf_name.removeprefix("resnet.")  # ResNetForImageClassification wraps the model
    m = _IN_STAGE.match(hf_name)
    if m:
        stage, block, rest = m.groups()
        return f"stages.{stage}.{block}.{block_name(rest)}"
    for pattern, repl in _RULES:
        if re.match(pattern, hf_name):
            return re.sub(pattern, repl, hf_name)
    raise KeyError(f"no mapping for transformers ResNet tensor {hf_name!r}")


_BLOCK = re.compile(r"^(?:layer\.(\d+)|shortcut)\.(convolution|normalization)\.(.+)$")


def block_name(hf_name: str) -> str:
    """One block's tensor name: `layer.1.normalization.bias -> bn2.bias`,
    `shortcut.convolution.weight -> shortcut.conv.weight`."""
    m = _BLOCK.match(hf_name)
    if not m:
        raise KeyError(f"no mapping for transformers ResNet block tensor {hf_name!r}")
    k, kind, rest = m.groups()
    short = "conv" if kind == "convolution" else "bn"
    return f"{short}{int(k) + 1}.{rest}" if k is not None else f"shortcut.{short}.{rest}"


def from_transformers(state_dict: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A transformers ResNetModel state dict, renamed for our `ResNet` (load with strict=True)."""
    return {ours_name(k): v for k, v in state_dict.items()}


def resnet_from_transformers(hf_model) -> ResNet:
    """Our ResNet with the config, weights and train/eval mode of a transformers ResNetModel."""
    model = ResNet(config_from_transformers(hf_model.config))
    first = next(iter(hf_model.state_dict().values()))
    model.to(first.dtype).load_state_dict(from_transformers(hf_model.state_dict()), strict=True)
    return model.train(hf_model.training)


def config_from_transformers(hf_config) -> ResNetConfig:
    """Our ResNetConfig for a transformers ResNetConfig (ReLU activations only)."""
    if hf_config.hidden_act != "relu":
        raise ValueError(f"only ReLU ResNets are built here, got {hf_config.hidden_act!r}")
    return ResNetConfig(
        num_channels=hf_config.num_channels,
        embedding_size=hf_config.embedding_size,
        hidden_sizes=list(hf_config.hidden_sizes),
        depths=list(hf_config.depths),
        layer_type=hf_config.layer_type,
        downsample_in_first_stage=hf_config.downsample_in_first_stage,
        downsample_in_bottleneck=getattr(hf_config, "downsample_in_bottleneck", False),
        stem="imagenet",
    )
