"""The scoreboard's parity checks, in this process or in a pool of worker processes.

With `jobs` > 1 the milestones are spread over that many spawned workers (one thread each), so
`roadmap report` uses both cores of a 2-core machine; each worker imports its libraries once and
keeps them for the next milestone. Results come back in the order they finish.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

from phase0_env.common.registry import Milestone

if TYPE_CHECKING:
    from phase0_env.report import MilestoneParity


def parity_results(
    milestones: Sequence[Milestone], log: Path, jobs: int = 1
) -> Iterator[tuple[int, MilestoneParity]]:
    """(index into `milestones`, MilestoneParity) for each milestone, as each one finishes;
    what the checks print goes to the end of `log`."""
    from phase0_env.report import MilestoneParity

    if jobs <= 1:
        for i, m in enumerate(milestones):
            yield i, _checked(m, str(log))
        return
    from phase0_env.first_run import one_thread_per_child

    # spawn, not fork: a forked copy of a process that has started threads (torch) can hang.
    context = multiprocessing.get_context("spawn")
    with one_thread_per_child(True), ProcessPoolExecutor(jobs, mp_context=context) as pool:
        futures = {pool.submit(_checked, m, str(log)): i for i, m in enumerate(milestones)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                yield i, future.result()
            except Exception:  # the worker died (a crash, out of memory): a failed outcome
                m = milestones[i]
                yield i, MilestoneParity(m.id, m.reference, error=traceback.format_exc())


def _checked(milestone: Milestone, log: str) -> MilestoneParity:
    from phase0_env.report import _output_to, run_parity

    with _output_to(Path(log)):
        return run_parity(milestone)
