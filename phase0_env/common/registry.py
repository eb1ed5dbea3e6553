"""The milestone registry: every milestone describes itself once, in its `milestone.py`.

Each phase package exposes `milestones()` through the `roadmap.phases` entry-point group, so
the `roadmap` CLI finds every phase without phase 0 importing a higher phase. A milestone's
callables are given as `"module:function"` strings and imported only when used, so listing
milestones never imports torch or any other heavy library.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

ENTRY_POINT_GROUP = "roadmap.phases"
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
    demo: str
    parity: str
    bench: str
    requirements: tuple[str, ...] = ()
    local_deps: tuple[str, ...] = field(default=())

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

    def load(self, which: str) -> Callable[..., Any]:
        """Import and return the milestone's `demo`, `parity` or `bench` callable."""
        target = getattr(self, which)
        module_name, _, attr = target.partition(":")
        module = importlib.import_module(module_name)
        return getattr(module, attr)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["phase"] = self.phase
        data["requirements"] = list(self.requirements)
        data["local_deps"] = list(self.local_deps)
        return data


def discover_phase(package: str, paths: Iterable[str]) -> list[Milestone]:
    """Collect the `MILESTONE` of every sub-package of `package` that has a `milestone.py`."""
    found = []
    for info in sorted(pkgutil.iter_modules(list(paths)), key=lambda i: i.name):
        if not info.ispkg or info.name.startswith("_") or info.name in {"common", "tests"}:
            continue
        spec = importlib.util.find_spec(f"{package}.{info.name}.milestone")
        if spec is None:
            continue
        module = importlib.import_module(f"{package}.{info.name}.milestone")
        milestone = module.MILESTONE
        if milestone.id != f"{package}.{info.name}":
            raise ValueError(
                f"{package}.{info.name}.milestone declares id {milestone.id!r}; "
                "the id must equal the package path"
            )
        found.append(milestone)
    return found


def all_milestones() -> list[Milestone]:
    """Every registered milestone, in phase order then by name."""
    eps = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    out: list[Milestone] = []
    for phase in PHASES:
        if phase in eps:
            out.extend(eps[phase].load()())
    extra = sorted(set(eps) - set(PHASES))
    for phase in extra:
        out.extend(eps[phase].load()())
    return out


def get_milestone(milestone_id: str) -> Milestone:
    """The registered milestone with this id, or a LookupError listing the known ids."""
    milestones = all_milestones()
    for milestone in milestones:
        if milestone.id == milestone_id:
            return milestone
    known = ", ".join(m.id for m in milestones) or "(none)"
    raise LookupError(f"unknown milestone {milestone_id!r}; registered: {known}")
