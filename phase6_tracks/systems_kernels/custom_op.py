"""A custom PyTorch operator in C++: `torch.ops.roadmap.bias_gelu(x, b) = GELU(x + b)`.

The C++ source (`csrc/bias_gelu.cpp`) is compiled on first use with
`torch.utils.cpp_extension.load` and cached under `<repo>/.cache/torch_extensions` (a second
process loads the cached library in well under a second). The C++ file registers the CPU
kernels and the autograd formula (a `torch::autograd::Function` on the Autograd key, so a
backward pass never enters Python). Python adds the fake (meta) kernels, so `torch.compile`
can trace through the op without running it.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch

from phase0_env.common.paths import project_root

SOURCE = Path(__file__).parent / "csrc" / "bias_gelu.cpp"
# -march=native: the cache is per machine. -fopenmp: without it `at::parallel_for` compiles
# to a serial loop, and the op loses to eager torch, which splits rows over threads.
CFLAGS = ["-O3", "-march=native", "-fopenmp"]


def capability_flags() -> list[str]:
    """Compile ATen's `Vectorized` for the SIMD level eager torch dispatches to on this CPU.

    The fused loop then uses the same erf/exp polynomials as eager GELU, at the same width
    (AVX512 where torch picks it); anything else falls back to ATen's portable version.
    """
    level = torch.backends.cpu.get_cpu_capability()
    if level in ("AVX2", "AVX512"):
        return [f"-DCPU_CAPABILITY={level}", f"-DCPU_CAPABILITY_{level}"]
    return ["-DCPU_CAPABILITY=DEFAULT"]


_loaded = False


def build_dir() -> Path:
    """Where the compiled library is cached (override with ROADMAP_EXTENSIONS_DIR)."""
    default = project_root(__file__) / ".cache" / "torch_extensions"
    return Path(os.environ.get("ROADMAP_EXTENSIONS_DIR", default))


def load_op() -> None:
    """Compile (once, cached) and load `roadmap::bias_gelu`, then register its fake kernels."""
    global _loaded
    if _loaded:
        return
    from torch.utils.cpp_extension import load

    folder = build_dir() / "roadmap_bias_gelu"
    folder.mkdir(parents=True, exist_ok=True)
    load(
        name="roadmap_bias_gelu",
        sources=[str(SOURCE)],
        build_directory=str(folder),
        extra_cflags=CFLAGS + capability_flags(),
        extra_ldflags=["-fopenmp"],
        is_python_module=False,
        verbose=False,
    )

    @torch.library.register_fake("roadmap::bias_gelu")
    def _fake(x: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        torch._check(b.shape[0] == x.shape[-1], lambda: "b must match x's last dimension")
        return x.new_empty(x.shape)  # the kernel always returns a contiguous tensor

    @torch.library.register_fake("roadmap::bias_gelu_backward")
    def _fake_backward(
        grad: torch.Tensor, x: torch.Tensor, b: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        return x.new_empty(x.shape), b.new_empty(b.shape)

    _loaded = True


def bias_gelu(x: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """GELU(x + b), the erf form, through the C++ operator; differentiable in x and b.

    float32 on AVX512 CPUs uses the operator's own erf approximation (within 5e-7 of float64
    GELU); float64 uses ATen's vectorised erf.
    """
    load_op()
    return torch.ops.roadmap.bias_gelu(x, b)


def bias_gelu_eager(x: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The eager composition the operator replaces."""
    return torch.nn.functional.gelu(x + b)
