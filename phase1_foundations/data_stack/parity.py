"""Parity: every engine's features are identical to pandas'; the CSV stream equals the
in-memory run; the asyncio client respects its bounds."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .async_io import fetch_all, local_server
from .engine_python import features_from_csv
from .engines import ENGINES, REFERENCE, get_engine
from .features import COLUMNS
from .tables import generate_events, load_states, write_events_csv

N_ROWS = 50_000


def checks() -> list[ParityResult]:
    """Exact equality with pandas for each engine and column (a few seconds)."""
    states = load_states()
    events = generate_events(N_ROWS, seed=0)
    ref = get_engine(REFERENCE)(events, states)
    pandas_ref = reference_version("pandas")
    out = []
    for name in ENGINES:
        if name == REFERENCE:
            continue
        ours = get_engine(name)(events, states)
        # Exact: integer cents make every sum exact, and each float is one IEEE division.
        for column in COLUMNS:
            out.append(
                compare(
                    f"{name} == pandas: {column}",
                    ours[column],
                    ref[column],
                    reference=pandas_ref,
                    exact=True,
                )
            )
    with tempfile.TemporaryDirectory() as tmp:
        path = write_events_csv(Path(tmp) / "events.csv", N_ROWS, seed=0)
        streamed = features_from_csv(path, states)
    out.append(
        compare(
            "python CSV stream == pandas (all columns)",
            [streamed[c].tolist() for c in COLUMNS if c != "state"],
            [ref[c].tolist() for c in COLUMNS if c != "state"],
            reference=pandas_ref,
            exact=True,
        )
    )
    out.append(async_check())
    return out


def async_check(n: int = 30, concurrency: int = 4) -> ParityResult:
    """Semaphore bound, timeouts and ordering of the asyncio client against a local server."""

    async def run() -> tuple[int, list[str]]:
        async with local_server() as (port, stats):
            delays = [20] * n + [2_000]  # the last one must time out
            replies = await fetch_all(
                "127.0.0.1", port, delays, concurrency=concurrency, timeout=0.5
            )
            return stats.peak, [r.status for r in replies]

    peak, statuses = asyncio.run(run())
    passed = peak <= concurrency and statuses == ["ok"] * n + ["timeout"]
    return behaviour(
        "asyncio: semaphore bound + timeout",
        passed,
        f"peak concurrent connections {peak} (limit {concurrency}); "
        f"{statuses.count('ok')} ok, {statuses.count('timeout')} timeout",
    )
