"""Triton's interpreter switch: without a GPU, the kernels run on the CPU in its interpreter.

Triton fixes the mode when `triton.language` is first imported, and other libraries
(bitsandbytes, transformers) import it early, so a process throws the switch before it loads
anything else: the `roadmap` CLI when the registry reads this milestone's `milestone.py`, pytest
in the test configuration, and every kernel module through `runtime.py`. Kept free of torch so
that reading the registry stays light.
"""

from __future__ import annotations

import os


def use_interpreter_without_gpu(on_gpu: bool | None = None) -> None:
    """Set TRITON_INTERPRET=1 (unless already set) when there is no GPU to run kernels on.

    `on_gpu=None` judges by the NVIDIA device node, without importing torch.
    """
    if on_gpu is None:
        on_gpu = os.path.exists("/dev/nvidiactl")
    if not on_gpu:
        os.environ.setdefault("TRITON_INTERPRET", "1")
