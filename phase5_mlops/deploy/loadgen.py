"""A count-bounded load generator: a few client threads posting small prediction batches.

Each request carries `batch` records drawn (seeded) from the real table, so every canary
request adds several predictions to the class mix the PSI gate compares. A run ends after
`requests` requests or when `stop` is set, whichever comes first.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import httpx

from phase0_env.common.loadresult import LoadResult


def penguin_records() -> list[dict[str, Any]]:
    """The penguins table's rows as JSON records (missing values as null)."""
    from phase2_tabular.common.tables import load_table

    df, spec = load_table("penguins")
    rows = df[spec.features].to_dict(orient="records")
    return [{k: (None if v != v else v) for k, v in row.items()} for row in rows]


def run_load(
    url: str,
    records: list[dict[str, Any]],
    *,
    requests: int,
    concurrency: int = 4,
    batch: int = 8,
    seed: int = 0,
    stop: threading.Event | None = None,
) -> LoadResult:
    """Send up to `requests` POSTs of `batch` records to `url`/predict/batch."""
    result, lock = LoadResult(concurrency=concurrency), threading.Lock()
    issued = iter(range(requests))
    stop = stop or threading.Event()

    def worker(worker_id: int) -> None:
        rng = random.Random(seed * 1000 + worker_id)
        with httpx.Client(timeout=30.0) as client:
            while not stop.is_set():
                with lock:
                    if next(issued, None) is None:
                        return
                body = {"records": rng.sample(records, batch)}
                start = time.perf_counter()
                try:
                    resp = client.post(url.rstrip("/") + "/predict/batch", json=body)
                except httpx.HTTPError:
                    with lock:
                        result.transport_errors += 1
                    continue
                elapsed = time.perf_counter() - start
                with lock:
                    result.statuses[resp.status_code] += 1
                    result.upstreams[resp.headers.get("x-upstream", "-")] += 1
                    result.latencies_s.append(elapsed)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - start
    return result
