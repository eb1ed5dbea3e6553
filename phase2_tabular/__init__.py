"""Phase 2: tabular ML, end to end.

Training practice on real tables, then train -> persist -> serve as a production API.

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
