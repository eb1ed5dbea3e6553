"""Bench: forward+backward of our BasicBlock and Bottleneck vs transformers' ResNet layers with
the same weights, at three batch sizes (training mode, float32)."""

from __future__ import annotations

from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version


def run(quick: bool = False) -> list[BenchRow]:
    """Rows per block type; size is the batch of 32-channel 16x16 feature maps."""
    import torch

    from .reference_pairs import block_pair

    ref = reference_version("transformers")
    rows = []
    cases = {
        "BasicBlock 32->64 stride 2": ("basic", 32, 64, 2, False),
        "Bottleneck 32->64 stride 2": ("bottleneck", 32, 64, 2, False),
    }
    for case, (kind, cin, cout, stride, dib) in cases.items():
        ours, theirs, _ = block_pair(kind, cin, cout, stride, dib)
        ours.float().train()
        theirs.float().train()
        for n in sizes(quick, full=(8, 32, 128), small=(2, 8, 32)):
            x = torch.randn(n, cin, 16, 16, generator=torch.Generator().manual_seed(n))

            def step(model, x=x):
                xi = x.clone().requires_grad_()
                model(xi).sum().backward()
                return xi.grad

            err = float((step(ours) - step(theirs)).abs().max())
            rows.append(
                compare(
                    case,
                    n,
                    partial(step, ours),
                    partial(step, theirs),
                    reference=ref,
                    repeats=3,
                    quality={"max_abs_input_grad_diff_fp32": err},
                )
            )
    return rows
