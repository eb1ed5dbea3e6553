"""Bench: forward+backward of our conv2d, linear and layer norm vs torch's, at three sizes."""

from __future__ import annotations

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from . import functional as scratch


def run(quick: bool = False) -> list[BenchRow]:
    """Rows per op; size is the batch size (conv: 16->32 channels, 3x3 on 16x16 images)."""
    import torch
    import torch.nn.functional as F

    ref = reference_version("torch")
    rows = []
    for n in sizes(quick, full=(8, 32, 128), small=(2, 8, 32)):
        gen = torch.Generator().manual_seed(n)
        x = torch.randn(n, 16, 16, 16, generator=gen)
        w, b = torch.randn(32, 16, 3, 3, generator=gen) * 0.1, torch.randn(32, generator=gen)
        rows.append(
            _row(
                "conv2d 3x3 16->32 @16x16",
                n,
                lambda x, w, b: scratch.conv2d(x, w, b, 1, 1),
                lambda x, w, b: F.conv2d(x, w, b, 1, 1),
                (x, w, b),
                ref,
            )
        )
    for n in sizes(quick, full=(256, 2048, 16384), small=(64, 256, 2048)):
        gen = torch.Generator().manual_seed(n)
        x = torch.randn(n, 256, generator=gen)
        w, b = torch.randn(512, 256, generator=gen) * 0.05, torch.randn(512, generator=gen)
        rows.append(_row("linear 256->512", n, scratch.linear, F.linear, (x, w, b), ref))
    for n in sizes(quick, full=(256, 2048, 16384), small=(64, 256, 2048)):
        gen = torch.Generator().manual_seed(n)
        x = torch.randn(n, 512, generator=gen)
        w, b = torch.randn(512, generator=gen), torch.randn(512, generator=gen)
        rows.append(
            _row(
                "layer_norm 512",
                n,
                lambda *t: scratch.layer_norm(t[0], (512,), *t[1:]),
                lambda *t: F.layer_norm(t[0], (512,), *t[1:]),
                (x, w, b),
                ref,
            )
        )
    return rows


def _row(case, size, ours_fn, ref_fn, inputs, ref) -> BenchRow:
    from .cases import outputs_and_grads

    got, want = outputs_and_grads(ours_fn, inputs), outputs_and_grads(ref_fn, inputs)
    # relative to the largest reference value: sums over many float32 terms grow with size
    err = max(float((a - b).abs().max() / b.abs().max()) for a, b in zip(got, want, strict=True))
    return compare(
        case,
        size,
        lambda: outputs_and_grads(ours_fn, inputs),
        lambda: outputs_and_grads(ref_fn, inputs),
        reference=ref,
        repeats=3,
        quality={"max_rel_diff_fp32": err},
    )
