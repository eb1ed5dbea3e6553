"""Parity checks: our blocks and ResNet vs transformers' ResNet with the same weights, in train
and eval mode: outputs, input and parameter gradients, running statistics (float64)."""

from __future__ import annotations

from phase0_env.common.parity import ParityResult, compare, reference_version

# float64, the same arithmetic up to summation order: 1e-10 relative, 1e-12 absolute for
# entries that cancel to ~0.
RTOL, ATOL = 1e-10, 1e-12

BLOCK_CASES = {
    "BasicBlock identity": ("basic", 8, 8, 1, False),
    "BasicBlock projection stride 2": ("basic", 8, 16, 2, False),
    "Bottleneck projection (stride on 3x3)": ("bottleneck", 8, 16, 2, False),
    "Bottleneck projection (stride on 1x1)": ("bottleneck", 8, 16, 2, True),
    "Bottleneck identity": ("bottleneck", 16, 16, 1, False),
}


def checks() -> list[ParityResult]:
    """Block and whole-model parity in train and eval mode (a few seconds)."""
    import torch

    from .reference_pairs import block_pair, model_pair, run_both

    ref = reference_version("transformers")
    out = []
    for name, (kind, cin, cout, stride, dib) in BLOCK_CASES.items():
        ours, theirs, names = block_pair(kind, cin, cout, stride, dib)
        x = torch.randn(
            3, cin, 9, 9, dtype=torch.float64, generator=torch.Generator().manual_seed(1)
        )
        for train in (True, False):
            mode = "train" if train else "eval"
            for what, a, b in run_both(ours, theirs, names, x, train):
                out.append(
                    compare(f"{name} {mode}: {what}", a, b, reference=ref, rtol=RTOL, atol=ATOL)
                )
    for layer_type in ("basic", "bottleneck"):
        ours, theirs, names = model_pair(layer_type)
        x = torch.randn(
            2, 3, 32, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(2)
        )
        for train in (True, False):
            mode = "train" if train else "eval"
            for what, a, b in run_both(ours, theirs, names, x, train):
                out.append(
                    compare(
                        f"ResNetModel[{layer_type}] {mode}: {what}",
                        a,
                        b,
                        reference=ref,
                        rtol=RTOL,
                        atol=ATOL,
                    )
                )
    return out
