"""Bench: forward+backward of our encoder layer vs torch.nn.TransformerEncoderLayer (same
weights, float32, training mode, dropout 0) at three sequence lengths, and MHA likewise."""

from __future__ import annotations

from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version


def run(quick: bool = False) -> list[BenchRow]:
    """Rows per module; size is the sequence length (batch 8, d_model 64, 4 heads)."""
    import torch

    from .reference_pairs import encoder_pair, mha_pair

    ref = reference_version("torch")
    rows = []
    enc_ours, enc_ref, _ = encoder_pair(False, "gelu", d=64, heads=4, ff=256)
    mha_ours, mha_ref, _ = mha_pair(64, 4)
    modules = {
        "encoder layer post-norm d64": (enc_ours, enc_ref, lambda m, x: m(x), lambda m, x: m(x)),
        "multi-head attention d64": (
            mha_ours,
            mha_ref,
            lambda m, x: m(x),
            lambda m, x: m(x, x, x, need_weights=False)[0],
        ),
    }
    for case, (ours, theirs, call_ours, call_ref) in modules.items():
        ours.float().train()
        theirs.float().train()
        for length in sizes(quick, full=(32, 128, 512), small=(16, 32, 128)):
            x = torch.randn(8, length, 64, generator=torch.Generator().manual_seed(length))

            def step(model, call, x=x):
                xi = x.clone().requires_grad_()
                call(model, xi).sum().backward()
                return xi.grad

            err = float((step(ours, call_ours) - step(theirs, call_ref)).abs().max())
            rows.append(
                compare(
                    case,
                    length,
                    partial(step, ours, call_ours),
                    partial(step, theirs, call_ref),
                    reference=ref,
                    repeats=3,
                    quality={"max_abs_input_grad_diff_fp32": err},
                )
            )
    return rows
