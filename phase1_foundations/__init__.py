"""Phase 1: foundations.

Classical ML, the math behind it (autograd, optimisers, PCA), statistics, the data
stack and a compiled hot path, each from scratch and proven against its library.

Milestones register themselves in their `milestone.py`; `milestones()` collects them and is
what the `roadmap.phases` entry point calls. Nothing heavy is imported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phase0_env.common.registry import Milestone


def milestones() -> list[Milestone]:
    """Every milestone of this phase (sub-packages that have a `milestone.py`)."""
    from phase0_env.common.registry import discover_phase

    return discover_phase(__name__, __path__)
