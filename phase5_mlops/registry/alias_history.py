"""The alias history MLflow does not keep: who moved which alias to which version, when, why.

Each move is one registered-model tag `alias_history.<ns timestamp>` whose value is a JSON
event, so the history lives in the same store (sqlite or PostgreSQL) as the aliases, needs
no extra table, and travels with the model. Sorting the keys gives the order of events.

Rollback reads the champion *lineage* from it: promotions push a version, rollbacks pop one,
so rolling back twice goes two champions back (not back and forth between the last two).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import time
from dataclasses import asdict, dataclass
from typing import Any

TAG_PREFIX = "alias_history."
MAX_REASON = 500  # registered-model tag values are bounded (5,000 characters in MLflow)


@dataclass(frozen=True)
class AliasEvent:
    """One alias move: `version` None means the alias was removed."""

    seq: int
    alias: str
    version: str | None
    previous: str | None
    action: str  # "set", "promote", "rollback" or "clear"
    actor: str
    reason: str
    at: str

    @property
    def tag_key(self) -> str:
        return f"{TAG_PREFIX}{self.seq:020d}"

    def tag_value(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def new_event(
    alias: str,
    version: str | None,
    previous: str | None,
    action: str,
    reason: str,
    actor: str | None = None,
) -> AliasEvent:
    """An event stamped now (nanosecond key, UTC time) by `actor` (default: the OS user)."""
    return AliasEvent(
        seq=time.time_ns(),
        alias=alias,
        version=version,
        previous=previous,
        action=action,
        actor=actor or _user(),
        reason=reason[:MAX_REASON],
        at=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
    )


def events_from_tags(tags: dict[str, str]) -> list[AliasEvent]:
    """Every event stored in a registered model's tags, oldest first."""
    keys = sorted(k for k in tags if k.startswith(TAG_PREFIX))
    return [AliasEvent(**json.loads(tags[k])) for k in keys]


def champion_lineage(events: list[AliasEvent], alias: str = "champion") -> list[str]:
    """The stack of versions that held `alias`: promotions push, rollbacks pop, clears empty."""
    stack: list[str] = []
    for event in events:
        if event.alias != alias:
            continue
        if event.action == "rollback":
            if stack:
                stack.pop()
        elif event.version is None:
            stack.clear()
        else:
            stack.append(event.version)
    return stack


def history_problems(events: list[AliasEvent], aliases: dict[str, str]) -> list[str]:
    """Where the recorded history disagrees with the registry's current aliases (empty: none)."""
    problems = []
    latest: dict[str, str | None] = {}
    for event in events:
        if event.previous != latest.get(event.alias):
            problems.append(
                f"event {event.seq}: {event.alias} previous={event.previous} but history says "
                f"{latest.get(event.alias)}"
            )
        latest[event.alias] = event.version
    for alias in sorted(set(latest) | set(aliases)):
        if latest.get(alias) != aliases.get(alias):
            problems.append(
                f"alias {alias}: registry has {aliases.get(alias)}, history ends at "
                f"{latest.get(alias)}"
            )
    lineage = champion_lineage(events)
    if lineage and aliases.get("champion") != lineage[-1]:
        problems.append(
            f"champion lineage ends at {lineage[-1]}, alias is {aliases.get('champion')}"
        )
    return problems


def as_rows(events: list[AliasEvent]) -> list[dict[str, Any]]:
    """Events as plain dicts (for JSON output and tables)."""
    return [asdict(e) for e in events]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): still record something
        return "unknown"
