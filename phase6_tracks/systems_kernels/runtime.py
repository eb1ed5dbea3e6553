"""Where the kernels run: a CUDA GPU when there is one, else Triton's interpreter on the CPU.

The interpreter executes each program instance with NumPy, so CPU runs check correctness only;
their timings say nothing about a GPU. `TRITON_INTERPRET` must be set before `triton.language`
is first imported, which is why every kernel module imports this one first; in processes that
load other libraries first (bitsandbytes and transformers import triton), the `roadmap` CLI and
the test configuration set it at start-up when there is no NVIDIA device.
"""

from __future__ import annotations

import os


def _has_cuda() -> bool:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency of this milestone
        return False
    return bool(torch.cuda.is_available())


ON_GPU = _has_cuda()
if not ON_GPU:
    os.environ.setdefault("TRITON_INTERPRET", "1")
INTERPRETED = os.environ.get("TRITON_INTERPRET") == "1"
DEVICE = "cuda" if ON_GPU and not INTERPRETED else "cpu"
