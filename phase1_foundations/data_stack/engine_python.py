"""The pipeline in plain Python: typed dataclasses, a generator that streams the CSV row by
row, and context managers for the file and for timing.

Memory is bounded by the number of states x days (the daily grid), never by the number of
events: the CSV is read one line at a time and each event is folded into running totals.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .features import WINDOW_DAYS, Features, normalise
from .tables import CSV_COLUMNS, N_DAYS, EventColumns, StateTable


@dataclass(frozen=True, slots=True)
class Event:
    """One spending event."""

    state_code: int
    day: int
    amount_cents: int


@dataclass(slots=True)
class StateTotals:
    """Running aggregates of one state, updated one event at a time."""

    n_events: int = 0
    total_cents: int = 0
    max_cents: int = 0
    daily_cents: list[int] = field(default_factory=list)

    def add(self, event: Event) -> None:
        self.n_events += 1
        self.total_cents += event.amount_cents
        self.max_cents = max(self.max_cents, event.amount_cents)
        self.daily_cents[event.day] += event.amount_cents


@contextmanager
def open_events_csv(path: Path) -> Iterator[Iterator[Event]]:
    """Open the events CSV and yield a row-by-row `Event` iterator; the file always closes."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or tuple(header) != CSV_COLUMNS:
            raise ValueError(f"{path}: expected header {','.join(CSV_COLUMNS)}, got {header}")
        yield (Event(int(s), int(d), int(a)) for s, d, a in reader)


def iter_events(columns: EventColumns) -> Iterator[Event]:
    """Events from in-memory columns (the same stream the CSV reader produces)."""
    for s, d, a in zip(
        columns.state_code.tolist(),
        columns.day.tolist(),
        columns.amount_cents.tolist(),
        strict=True,
    ):
        yield Event(s, d, a)


@contextmanager
def timed(label: str, sink: dict[str, float]) -> Iterator[None]:
    """Record the wall time of the block under `label` (also when it raises)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        sink[label] = time.perf_counter() - start


def compute_features(events: Iterable[Event], states: StateTable, n_days: int = N_DAYS) -> Features:
    """Fold a stream of events into per-state features, joined with the state table."""
    totals: dict[int, StateTotals] = {}
    for event in events:
        acc = totals.get(event.state_code)
        if acc is None:
            if not 0 <= event.state_code < len(states):
                continue  # inner join: an unknown key has no partner row
            acc = totals[event.state_code] = StateTotals(daily_cents=[0] * n_days)
        acc.add(event)
    rows = []
    for code in sorted(totals, key=lambda c: states.name[c]):
        acc = totals[code]
        urban_pop = int(states.urban_pop[code])
        rows.append(
            (
                str(states.name[code]),
                acc.n_events,
                acc.total_cents,
                acc.total_cents / acc.n_events,
                acc.max_cents,
                urban_pop,
                float(states.murder[code]),
                acc.total_cents / urban_pop,
                peak_rolling_sum(acc.daily_cents, WINDOW_DAYS),
            )
        )
    names = (
        "state",
        "n_events",
        "total_cents",
        "mean_cents",
        "max_cents",
        "urban_pop",
        "murder",
        "cents_per_urban_pop",
        "peak_7d_cents",
    )
    return normalise({n: [r[i] for r in rows] for i, n in enumerate(names)})


def peak_rolling_sum(values: list[int], window: int) -> int:
    """Largest sum of `window` consecutive values (shorter at the start).

    >>> peak_rolling_sum([1, 5, 0, 2, 9], 2)
    11
    """
    running, best = 0, None
    for i, v in enumerate(values):
        running += v
        if i >= window:
            running -= values[i - window]
        best = running if best is None else max(best, running)
    return 0 if best is None else best


def features_from_csv(path: Path, states: StateTable, n_days: int = N_DAYS) -> Features:
    """Stream the CSV and compute the features in bounded memory."""
    with open_events_csv(path) as events:
        return compute_features(events, states, n_days)


def features(columns: EventColumns, states: StateTable, n_days: int = N_DAYS) -> Features:
    """The engine entry point shared by all five implementations."""
    return compute_features(iter_events(columns), states, n_days)
