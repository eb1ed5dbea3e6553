"""Ours next to transformers' ResNet with the same weights, and the runner that compares them:
output, input gradient, every parameter gradient and the running statistics after the step."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from .blocks import BasicBlock, Bottleneck
from .weights import block_name, ours_name, resnet_from_transformers


def block_pair(
    kind: str, in_ch: int, out_ch: int, stride: int, downsample_in_bottleneck=False, seed: int = 0
) -> tuple[nn.Module, nn.Module, Callable[[str], str]]:
    """(ours, transformers' layer, name map) for one block with random weights and statistics."""
    from transformers.models.resnet.modeling_resnet import ResNetBasicLayer, ResNetBottleNeckLayer

    torch.manual_seed(seed)
    if kind == "basic":
        ref = ResNetBasicLayer(in_ch, out_ch, stride=stride)
        ours = BasicBlock(in_ch, out_ch, stride)
    else:
        ref = ResNetBottleNeckLayer(
            in_ch, out_ch, stride=stride, downsample_in_bottleneck=downsample_in_bottleneck
        )
        ours = Bottleneck(in_ch, out_ch, stride, downsample_in_bottleneck=downsample_in_bottleneck)
    randomize_batch_norms(ref)
    ref.double()
    ours.double().load_state_dict({block_name(k): v for k, v in ref.state_dict().items()})
    return ours, ref, block_name


def model_pair(layer_type: str, seed: int = 0) -> tuple[nn.Module, nn.Module, Callable[[str], str]]:
    """(ours, transformers ResNetModel, name map): a tiny random two-stage ResNet, no download."""
    from transformers import ResNetConfig, ResNetModel

    torch.manual_seed(seed)
    sizes = [8, 16] if layer_type == "basic" else [16, 32]
    config = ResNetConfig(
        num_channels=3,
        embedding_size=8,
        hidden_sizes=sizes,
        depths=[2, 1],
        layer_type=layer_type,
        hidden_act="relu",
    )
    ref = ResNetModel(config)
    randomize_batch_norms(ref)
    ref.double()
    return resnet_from_transformers(ref), ref, ours_name


def randomize_batch_norms(module: nn.Module) -> None:
    """Non-trivial BN affine parameters and running statistics, so eval mode tests something."""
    gen = torch.Generator().manual_seed(123)
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.weight.copy_(1 + 0.2 * torch.randn(c, generator=gen))
                m.bias.copy_(0.2 * torch.randn(c, generator=gen))
                m.running_mean.copy_(0.3 * torch.randn(c, generator=gen))
                m.running_var.copy_(0.5 + torch.rand(c, generator=gen))


def run_both(
    ours: nn.Module, ref: nn.Module, name_map: Callable[[str], str], x: torch.Tensor, train: bool
) -> list[tuple[str, torch.Tensor, torch.Tensor]]:
    """One forward/backward step of each in the given mode: [(what, ours, reference), ...]."""
    ours.train(train)
    ref.train(train)
    results = []
    outs, grads = [], []
    for model, is_ref in ((ours, False), (ref, True)):
        model.zero_grad()
        xi = x.detach().clone().requires_grad_()
        if is_ref:
            out = _reference_output(model, xi)
        else:  # our whole ResNet pools; transformers' last_hidden_state is before the pool
            out = model.forward_features(xi) if hasattr(model, "forward_features") else model(xi)
        weights = torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view_as(out)
        (out * weights).sum().backward()
        outs.append(out.detach())
        grads.append(xi.grad)
    results.append(("output", outs[0], outs[1]))
    results.append(("input gradient", grads[0], grads[1]))
    ours_params = dict(ours.named_parameters())
    ours_buffers = dict(ours.named_buffers())
    param_ours, param_ref, stats_ours, stats_ref = [], [], [], []
    for name, p in ref.named_parameters():
        param_ours.append(ours_params[name_map(name)].grad.flatten())
        param_ref.append(p.grad.flatten())
    for name, b in ref.named_buffers():
        if b.is_floating_point():
            stats_ours.append(ours_buffers[name_map(name)].flatten())
            stats_ref.append(b.flatten())
    results.append(("parameter gradients", torch.cat(param_ours), torch.cat(param_ref)))
    results.append(("running statistics", torch.cat(stats_ours), torch.cat(stats_ref)))
    return results


def _reference_output(ref: nn.Module, x: torch.Tensor) -> torch.Tensor:
    out = ref(x)
    return out.last_hidden_state if hasattr(out, "last_hidden_state") else out
