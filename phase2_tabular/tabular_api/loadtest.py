"""A bounded load generator: N requests from C concurrent clients, latency percentiles.

Used by the load test (asserts zero errors) and the benchmark (reports p50/p95/p99 and
requests/s). Each client is a coroutine with its own keep-alive connection.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class LoadResult:
    """What a load run measured."""

    requests: int
    concurrency: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def load_test(
    url: str, payload: Any, *, requests: int = 2000, concurrency: int = 16, timeout: float = 30.0
) -> LoadResult:
    """POST `payload` to `url` `requests` times from `concurrency` clients."""
    return asyncio.run(_run(url, payload, requests, concurrency, timeout))


async def _run(url: str, payload: Any, n: int, concurrency: int, timeout: float) -> LoadResult:
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    queue = iter(range(n))

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(timeout=timeout) as http:
            for _ in queue:  # the shared iterator hands out the remaining requests
                start = time.perf_counter()
                try:
                    resp = await http.post(url, json=payload)
                    statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
                    if resp.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    seconds = time.perf_counter() - start
    ms = np.array(latencies) * 1e3
    p50, p95, p99 = np.percentile(ms, [50, 95, 99]) if ms.size else (np.nan,) * 3
    return LoadResult(n, concurrency, errors, seconds, float(p50), float(p95), float(p99), statuses)
