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
    return rows
