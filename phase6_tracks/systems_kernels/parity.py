"""Every kernel against torch in float64, at odd shapes, three dtypes, strided inputs."""

from __future__ import annotations

from typing import Any

import torch

from phase0_env.common.parity import ParityResult, compare, reference_version
from phase6_tracks.systems_kernels.layernorm import layer_norm
from phase6_tracks.systems_kernels.matmul_gelu import matmul_bias_gelu
from phase6_tracks.systems_kernels.runtime import DEVICE
from phase6_tracks.systems_kernels.softmax import softmax_fused, softmax_naive, softmax_online

# Output rounding sets the bound: float32 keeps 24 bits, float16 11, bfloat16 8.
TOLERANCE = {torch.float32: (1e-5, 1e-6), torch.float16: (1e-3, 1e-3), torch.bfloat16: (1e-2, 1e-2)}


def _tol(dtype: torch.dtype) -> dict[str, Any]:
    rtol, atol = TOLERANCE[dtype]
    return {"rtol": rtol, "atol": atol}


def checks() -> list[ParityResult]:
    """Softmax (3 versions), layer norm fwd/bwd, fused matmul + bias + GELU, the C++ op."""
    ref = reference_version("torch")
    gen = torch.Generator().manual_seed(0)
    out = []
    for dtype in (torch.float32, torch.float16, torch.bfloat16):
        name = str(dtype).removeprefix("torch.")
        x = (torch.randn(9, 301, generator=gen) * 4).to(dtype).to(DEVICE)
        want = torch.softmax(x.double(), -1)
        for label, fn in (
            ("naive", softmax_naive),
            ("fused", softmax_fused),
            ("online", lambda t: softmax_online(t, block=64)),
        ):
            out.append(
                compare(
                    f"softmax {label} 9x301 {name}",
                    fn(x).double(),
                    want,
                    reference=ref,
                    **_tol(dtype),
                )
            )
    wide = torch.randn(2, 20_000, generator=gen).to(DEVICE)
    out.append(
        compare(
            "softmax online 2x20000 (wider than a block)",
            softmax_online(wide).double(),
            torch.softmax(wide.double(), -1),
            reference=ref,
            **_tol(torch.float32),
        )
    )
    strided = torch.randn(16, 130, generator=gen)[:, ::2].to(DEVICE)
    out.append(
        compare(
            "softmax fused, strided input",
            softmax_fused(strided).double(),
            torch.softmax(strided.double(), -1),
            reference=ref,
            **_tol(torch.float32),
        )
    )
    out += _layer_norm_checks(ref, gen)
    a = torch.randn(45, 70, generator=gen).to(DEVICE)
    w = torch.randn(70, 37, generator=gen).to(DEVICE)
    b = torch.randn(37, generator=gen).to(DEVICE)
    for approximate in ("none", "tanh"):
        want = torch.nn.functional.gelu(
            a.double() @ w.double() + b.double(), approximate=approximate
        )
        out.append(
            compare(
                f"matmul+bias+GELU({approximate}) 45x70x37",
                matmul_bias_gelu(a, w, b, approximate).double(),
                want,
                reference=ref,
                rtol=1e-5,
                atol=1e-5,
            )
        )
    out += _custom_op_checks(ref, gen)
    return out


def _custom_op_checks(ref: str, gen: torch.Generator) -> list[ParityResult]:
    """The C++ `roadmap::bias_gelu` (float32) against float64 eager: y, dx and db."""
    from phase6_tracks.systems_kernels.custom_op import bias_gelu

    x = torch.randn(70, 301, generator=gen, dtype=torch.float64) * 3
    b = torch.randn(301, generator=gen, dtype=torch.float64)
    dy = torch.randn(70, 301, generator=gen, dtype=torch.float64)
    ours = [t.float().requires_grad_() for t in (x, b)]
    theirs = [t.clone().requires_grad_() for t in (x, b)]
    y = bias_gelu(*ours)
    y.backward(dy.float())
    y_ref = torch.nn.functional.gelu(theirs[0] + theirs[1])
    y_ref.backward(dy)
    # atol 2e-6: rounding the inputs to float32 alone moves GELU by up to |v| * 6e-8 (|v| ~ 13).
    out = [
        compare(
            "C++ bias_gelu forward 70x301", y.double(), y_ref, reference=ref, rtol=1e-5, atol=2e-6
        )
    ]
    for name, o, t, atol in zip(("dx", "db"), ours, theirs, (1e-5, 1e-4), strict=True):
        out.append(
            compare(
                f"C++ bias_gelu backward {name}",
                o.grad.double(),
                t.grad,
                reference=ref,
                rtol=1e-5,
                atol=atol,
            )
        )
    return out


def _layer_norm_checks(ref: str, gen: torch.Generator) -> list[ParityResult]:
    x = torch.randn(6, 3, 77, generator=gen, dtype=torch.float64).to(DEVICE)
    w = torch.randn(77, generator=gen, dtype=torch.float64).to(DEVICE)
    b = torch.randn(77, generator=gen, dtype=torch.float64).to(DEVICE)
    dy = torch.randn(6, 3, 77, generator=gen, dtype=torch.float64).to(DEVICE)
    ours = [t.float().requires_grad_() for t in (x, w, b)]
    theirs = [t.clone().requires_grad_() for t in (x, w, b)]
    y = layer_norm(*ours)
    y.backward(dy.float())
    y_ref = torch.nn.functional.layer_norm(theirs[0], (77,), theirs[1], theirs[2])
    y_ref.backward(dy)
    out = [
        compare("layer norm forward 18x77", y.double(), y_ref, reference=ref, rtol=1e-5, atol=1e-5)
    ]
    for name, o, t in zip(("dx", "dw", "db"), ours, theirs, strict=True):
        out.append(
            compare(
                f"layer norm backward {name}",
                o.grad.double(),
                t.grad,
                reference=ref,
                rtol=1e-5,
                atol=1e-5,
            )
        )
    return out
