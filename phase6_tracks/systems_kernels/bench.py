"""Benchmark of the kernels against torch at three sizes.

On a machine without a CUDA GPU the kernels run in Triton's interpreter (NumPy, one program
instance at a time), so the ratios measure the interpreter, not the kernels: every row says
which mode it ran in. `python -m phase6_tracks.systems_kernels.gpu_bench` is the GPU report.
"""

from __future__ import annotations

from functools import partial

import torch

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version
from phase6_tracks.systems_kernels.gpu_bench import unfused_matmul_bias_gelu
from phase6_tracks.systems_kernels.layernorm import layer_norm
from phase6_tracks.systems_kernels.matmul_gelu import matmul_bias_gelu
from phase6_tracks.systems_kernels.runtime import DEVICE, INTERPRETED
from phase6_tracks.systems_kernels.softmax import softmax_fused


def run(quick: bool = False) -> list[BenchRow]:
    """Softmax, layer norm and matmul+bias+GELU, ours vs torch, at three row counts."""
    ref = reference_version("torch")
    mode = {"mode": "triton interpreter (CPU)" if INTERPRETED else "GPU"}
    rows = []
    for m in sizes(quick, full=(64, 256, 1024), small=(8, 32, 128)):
        x = torch.randn(m, 512, device=DEVICE)
        w = torch.randn(512, device=DEVICE)
        b = torch.randn(512, device=DEVICE)
        err = float((softmax_fused(x) - torch.softmax(x, -1)).abs().max())
        rows.append(
            compare(
                "softmax fused",
                f"{m}x512",
                partial(softmax_fused, x),
                partial(torch.softmax, x, -1),
                reference=ref,
                repeats=3,
                quality={**mode, "max_abs_err": err},
            )
        )
        rows.append(
            compare(
                "layer norm forward",
                f"{m}x512",
                partial(layer_norm, x, w, b),
                partial(torch.nn.functional.layer_norm, x, (512,), w, b),
                reference=ref,
                repeats=3,
                quality=mode,
            )
        )
        a = torch.randn(m, 128, device=DEVICE)
        wm = torch.randn(128, 128, device=DEVICE)
        bm = torch.randn(128, device=DEVICE)
        rows.append(
            compare(
                "matmul+bias+GELU",
                f"{m}x128x128",
                partial(matmul_bias_gelu, a, wm, bm),
                partial(unfused_matmul_bias_gelu, a, wm, bm),
                reference=ref,
                repeats=3,
                quality=mode,
            )
        )
    rows += custom_op_rows(quick)
    rows += gqa_decode_rows(quick)
    return rows


def _forward_backward(fn, x: torch.Tensor, b: torch.Tensor, g: torch.Tensor) -> None:  # type: ignore[no-untyped-def]
    """One training-style step: forward, then backward from a dense upstream gradient g."""
    x.grad = None
    b.grad = None
    fn(x, b).backward(g)


def custom_op_rows(quick: bool) -> list[BenchRow]:
    """The C++ bias+GELU operator vs the eager composition, forward and forward+backward."""
    from phase6_tracks.systems_kernels.custom_op import bias_gelu, bias_gelu_eager

    ref = reference_version("torch") + " eager"
    rows = []
    for n in sizes(quick, full=(10_000, 100_000, 1_000_000)):
        x = torch.randn(max(1, n // 256), 256)
        b = torch.randn(256)
        err = float((bias_gelu(x, b) - bias_gelu_eager(x, b)).abs().max())
        rows.append(
            compare(
                "C++ bias_gelu forward",
                n,
                partial(bias_gelu, x, b),
                partial(bias_gelu_eager, x, b),
                reference=ref,
                repeats=51,
                warmup=5,
                quality={"max_abs_err": err},
            )
        )
        xg, bg = x.clone().requires_grad_(), b.clone().requires_grad_()
        g = torch.randn_like(x)
        rows.append(
            compare(
                "C++ bias_gelu fwd+bwd",
                n,
                partial(_forward_backward, bias_gelu, xg, bg, g),
                partial(_forward_backward, bias_gelu_eager, xg, bg, g),
                reference=ref,
                repeats=51,
                warmup=5,
            )
        )
    return rows


def _copied(model, step):  # type: ignore[no-untyped-def]
    from phase6_tracks.systems_kernels.profiling import expanded_kv

    with expanded_kv(model):
        return step()


def gqa_decode_rows(quick: bool) -> list[BenchRow]:
    """The profiling study's fix: a GQA decoding step with broadcast vs copied kv heads."""
    from phase4_llm.gpt.model import GPT
    from phase6_tracks.systems_kernels.profiling import decode_step, gqa_config

    torch.manual_seed(0)
    model = GPT(gqa_config()).eval()
    ref = reference_version("torch") + " eager, repeat_interleave"
    rows = []
    for context in sizes(quick, full=(256, 1024, 4000), small=(128, 512, 2048)):
        step = decode_step(model, context)
        diff = float((step() - _copied(model, step)).abs().max())
        rows.append(
            compare(
                "GQA decode step (enable_gqa)",
                f"{context} cached tokens",
                step,
                partial(_copied, model, step),
                reference=ref,
                repeats=9,
                quality={"max_abs_logit_diff": diff},
            )
        )
    return rows
