"""The milestone registry, in one hop: `PHASES` names the phase packages, each phase's
`__init__.py` lists its milestones (`MILESTONES`, a tuple of names, in reading order), and
each milestone describes itself in its `milestone.py`.

A milestone's demo, parity checks and benchmark are found by convention (`demo:main`,
`parity:checks`, `bench:run` in its package) and imported only when used, so listing
milestones never imports torch or any other heavy library.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Where a milestone's callables live unless its `milestone.py` names others.
CONVENTION = {"demo": "demo:main", "parity": "parity:checks", "bench": "bench:run"}
PHASES = (
    "phase0_env",
    "phase1_foundations",
    "phase2_tabular",
    "phase3_deep",
    "phase4_llm",
    "phase5_mlops",
    "phase6_tracks",
)


@dataclass(frozen=True)
class Milestone:
    """One milestone: what it claims, what it is checked against, and how to run it."""

    id: str
    title: str
    claim: str
    reference: str
    demo: str = ""  # "module:function"; empty means the convention below
    parity: str = ""
    bench: str = ""
    requirements: tuple[str, ...] = ()
    local_deps: tuple[str, ...] = field(default=())
    # Functions of the milestone's `minimal.py` whose bodies `roadmap exercise` removes; the
    # minimal version's tests (`tests/test_minimal.py`) grade the learner's code.
    exercises: tuple[str, ...] = ()

    @property
    def phase(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def folder(self) -> Path:
        spec = importlib.util.find_spec(self.id)
        if spec is None or not spec.submodule_search_locations:
            raise LookupError(f"milestone package {self.id!r} cannot be found")
        return Path(next(iter(spec.submodule_search_locations)))

    def target(self, which: str) -> str:
        """`"module:function"` of the milestone's `demo`, `parity` or `bench`."""
        return getattr(self, which) or f"{self.id}.{CONVENTION[which]}"

    def load(self, which: str) -> Callable[..., Any]:
        """Import and return the milestone's `demo`, `parity` or `bench` callable."""
        target = self.target(which)
        module_name, _, attr = target.partition(":")
        module = importlib.import_module(module_name)
        return getattr(module, attr)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["phase"] = self.phase
        data.update({which: self.target(which) for which in CONVENTION})
        data["requirements"] = list(self.requirements)
        data["local_deps"] = list(self.local_deps)
        data["exercises"] = list(self.exercises)
        return data


def phase_milestones(phase: str) -> list[Milestone]:
    """The milestones a phase lists in its `MILESTONES`, each read from its `milestone.py`."""
    names = importlib.import_module(phase).MILESTONES
    found = []
    for name in names:
        milestone = importlib.import_module(f"{phase}.{name}.milestone").MILESTONE
        if milestone.id != f"{phase}.{name}":
            raise ValueError(
                f"{phase}.{name}.milestone declares id {milestone.id!r}; "
                "the id must equal the package path"
            )
        found.append(milestone)
    return found


def all_milestones() -> list[Milestone]:
    """Every registered milestone, phase by phase, in each phase's reading order."""
    return [m for phase in PHASES for m in phase_milestones(phase)]


def get_milestone(milestone_id: str) -> Milestone:
    """The registered milestone with this id, or a LookupError listing the known ids."""
    milestones = all_milestones()
    for milestone in milestones:
        if milestone.id == milestone_id:
            return milestone
    known = ", ".join(m.id for m in milestones) or "(none)"
    raise LookupError(f"unknown milestone {milestone_id!r}; registered: {known}")
