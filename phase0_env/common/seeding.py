"""One `seed_everything` for the whole repository."""

from __future__ import annotations

import os
import random
import sys

import numpy as np


def seed_everything(seed: int = 0, *, deterministic: bool = True) -> np.random.Generator:
    """Seed Python, NumPy and torch (when the caller already imported it); return a Generator.

    torch is seeded only if it is in `sys.modules`, so torch-free milestones stay torch-free.
    """
    random.seed(seed)
    np.random.seed(seed % 2**32)
    os.environ["PYTHONHASHSEED"] = str(seed)
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(seed)
        if deterministic:
            torch.use_deterministic_algorithms(True, warn_only=True)
    return np.random.default_rng(seed)
