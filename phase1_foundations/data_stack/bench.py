"""Bench: each engine vs pandas (the reference) on the same in-memory events at three sizes,
plus CSV-to-features (plain Python streaming vs pandas.read_csv); time and peak memory.

Memory columns (see memory.py): `tracemalloc_peak_mb` sees Python and NumPy allocations
only (not Arrow's or polars' native allocators); `rss_peak_delta_mb` is the rise of the
process's peak RSS (Linux only), which does include native memory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .engine_python import features_from_csv
from .engines import ENGINES, REFERENCE, differences, get_engine
from .memory import peak_memory
from .tables import EventColumns, StateTable, generate_events, load_states, write_events_csv

FULL_SIZES = (100_000, 1_000_000, 10_000_000)


def run(quick: bool = False, full: tuple[int, ...] = FULL_SIZES) -> list[BenchRow]:
    """Rows per engine and row count; quick mode uses 1/50 of the sizes."""
    states = load_states()
    rows: list[BenchRow] = []
    for n in sizes(quick, full=full, small=[max(1, s // 50) for s in full]):
        rows += _engine_rows(n, states)
        rows.append(_csv_row(n, states))
    return rows


def _engine_rows(n: int, states: StateTable) -> list[BenchRow]:
    events = generate_events(n, seed=0)
    ref_fn = get_engine(REFERENCE)

    def ref() -> dict:
        return ref_fn(events, states)

    expected, ref_mem = peak_memory(ref)
    big = n > 1_000_000  # one timed run at 10 million rows: plain Python takes a minute
    rows = []
    for name in ENGINES:
        fn = get_engine(name)

        def ours(fn=fn) -> dict:
            return fn(events, states)

        got, mem = peak_memory(ours)
        quality = {
            "identical": not differences(got, expected),
            **mem,
            "ref_tracemalloc_peak_mb": ref_mem["tracemalloc_peak_mb"],
            "ref_rss_peak_delta_mb": ref_mem["rss_peak_delta_mb"],
        }
        rows.append(
            compare(
                f"features [{name}]",
                n,
                ours,
                ref,
                reference=reference_version("pandas"),
                repeats=1 if big else 3,
                warmup=0 if big else 1,
                quality=quality,
            )
        )
    return rows


def _csv_row(n: int, states: StateTable) -> BenchRow:
    import pandas as pd

    expected = get_engine(REFERENCE)(generate_events(n, seed=0), states)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_events_csv(Path(tmp) / "events.csv", n, seed=0)

        def ours() -> dict:
            return features_from_csv(path, states)

        def ref() -> dict:
            df = pd.read_csv(path)
            cols = EventColumns(*(df[c].to_numpy() for c in df.columns))
            return get_engine(REFERENCE)(cols, states)

        streamed, mem = peak_memory(ours)
        _, ref_mem = peak_memory(ref)
        quality = {
            "identical": not differences(streamed, expected),
            **mem,
            "ref_tracemalloc_peak_mb": ref_mem["tracemalloc_peak_mb"],
            "ref_rss_peak_delta_mb": ref_mem["rss_peak_delta_mb"],
        }
        return compare(
            "csv->features [python stream]",
            n,
            ours,
            ref,
            reference=reference_version("pandas") + " read_csv",
            repeats=1,
            warmup=0,
            quality=quality,
        )
