"""Where the kernels run: a CUDA GPU when there is one, else Triton's interpreter on the CPU.

The interpreter executes each program instance with NumPy, so CPU runs check correctness only;
their timings say nothing about a GPU. The interpreter must be chosen before `triton.language`
is first imported, which is why every kernel module imports this one first (interpreter.py says
where else the switch is thrown).
"""

from __future__ import annotations

import os

from phase6_tracks.systems_kernels.interpreter import use_interpreter_without_gpu


def _has_cuda() -> bool:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency of this milestone
        return False
    return bool(torch.cuda.is_available())


ON_GPU = _has_cuda()
use_interpreter_without_gpu(ON_GPU)  # a device node without a CUDA build of torch counts as none
INTERPRETED = os.environ.get("TRITON_INTERPRET") == "1"
DEVICE = "cuda" if ON_GPU and not INTERPRETED else "cpu"
