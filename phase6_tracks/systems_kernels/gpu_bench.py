"""One-command GPU report: achieved GB/s (or TFLOP/s) and the share of the measured peak,
ours vs torch eager vs torch.compile, over a sweep of sizes.

    python -m phase6_tracks.systems_kernels.gpu_bench [--quick] [--out reports/bench/gpu.json]

Peak bandwidth is measured, not quoted: the best of several large device-to-device copies.
Without a CUDA GPU the script still runs (tiny sizes, Triton's interpreter) and says loudly
that its numbers describe the interpreter, not any GPU.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import torch

from phase6_tracks.systems_kernels.layernorm import layer_norm
from phase6_tracks.systems_kernels.matmul_gelu import matmul_bias_gelu
from phase6_tracks.systems_kernels.runtime import DEVICE, INTERPRETED
from phase6_tracks.systems_kernels.softmax import softmax_fused, softmax_naive, softmax_online


def unfused_matmul_bias_gelu(a: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The three-op composition the fused kernel replaces."""
    return torch.nn.functional.gelu(a @ w + b)


def timed(fn: Callable[[], object], repeats: int = 20) -> float:
    """Median seconds of fn() (CUDA-synchronised on a GPU)."""
    if DEVICE == "cuda":
        import triton.testing

        return float(triton.testing.do_bench(fn, rep=repeats * 5)) / 1e3
    fn()
    samples = []
    for _ in range(max(3, repeats // 5)):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return sorted(samples)[len(samples) // 2]


def peak_bandwidth() -> float:
    """Measured device bandwidth in bytes/s: a large copy reads and writes every byte."""
    n = 2**28 if DEVICE == "cuda" else 2**22
    src = torch.empty(n, dtype=torch.float32, device=DEVICE)
    dst = torch.empty_like(src)
    return 2 * 4 * n / timed(lambda: dst.copy_(src))


def main(argv: list[str] | None = None) -> int:
    """Run the sweep, print a table, write JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default="reports/bench/gpu_systems_kernels.json")
    args = parser.parse_args(argv)
    if INTERPRETED:
        print(
            "NO CUDA GPU: kernels run in Triton's interpreter on the CPU. The numbers below "
            "measure the interpreter and say nothing about GPU performance."
        )
    peak = peak_bandwidth()
    compiled = torch.compile(lambda t: torch.softmax(t, -1)) if DEVICE == "cuda" else None
    on_gpu = DEVICE == "cuda"
    widths = [1024, 4096, 16384] if on_gpu else [32, 64, 128]
    rows_n = (1024 if args.quick else 8192) if on_gpu else 8
    results: list[dict[str, Any]] = []
    for n in widths:
        x = torch.randn(rows_n, n, device=DEVICE)
        w = torch.ones(n, device=DEVICE)
        b = torch.zeros(n, device=DEVICE)
        moved = 2 * 4 * rows_n * n  # read x once, write y once: the minimum
        candidates: dict[str, Callable[[], object]] = {
            "softmax naive (ours)": partial(softmax_naive, x),
            "softmax fused (ours)": partial(softmax_fused, x),
            "softmax online (ours)": partial(softmax_online, x),
            "softmax torch eager": partial(torch.softmax, x, -1),
            "layer norm (ours)": partial(layer_norm, x, w, b),
            "layer norm torch eager": partial(torch.nn.functional.layer_norm, x, (n,), w, b),
        }
        if compiled is not None:
            candidates["softmax torch.compile"] = partial(compiled, x)
        for name, fn in candidates.items():
            seconds = timed(fn)
            results.append(
                {
                    "case": name,
                    "shape": [rows_n, n],
                    "seconds": seconds,
                    "GB/s": moved / seconds / 1e9,
                    "share_of_peak": moved / seconds / peak,
                }
            )
    for size in [1024, 2048, 4096] if on_gpu else [16, 32, 48]:
        a = torch.randn(size, size, device=DEVICE)
        wm = torch.randn(size, size, device=DEVICE)
        bm = torch.randn(size, device=DEVICE)
        flops = 2 * size**3
        for name, fn in {
            "matmul+bias+GELU (ours)": partial(matmul_bias_gelu, a, wm, bm),
            "matmul+bias+GELU torch eager": partial(unfused_matmul_bias_gelu, a, wm, bm),
        }.items():
            seconds = timed(fn)
            results.append(
                {
                    "case": name,
                    "shape": [size, size, size],
                    "seconds": seconds,
                    "TFLOP/s": flops / seconds / 1e12,
                }
            )
    report = {
        "device": torch.cuda.get_device_name() if DEVICE == "cuda" else "cpu",
        "interpreted": INTERPRETED,
        "measured_peak_GB/s": peak / 1e9,
        "rows": results,
    }
    for r in results:
        rate = (
            f"{r['GB/s']:9.4g} GB/s  {100 * r['share_of_peak']:5.1f} % of peak"
            if "GB/s" in r
            else f"{r['TFLOP/s']:9.4g} TFLOP/s"
        )
        print(f"{r['case']:<32} {'x'.join(map(str, r['shape'])):<16} {rate}")
    print(f"measured peak: {peak / 1e9:.1f} GB/s on {report['device']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
