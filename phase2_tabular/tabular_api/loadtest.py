"""A bounded load generator: N requests from C concurrent clients, latency percentiles.

Used by the load test (asserts zero errors) and the benchmark (reports p50/p95/p99 and
requests/s). Each client is a coroutine with its own keep-alive connection.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from phase0_env.common.loadresult import LoadResult


def load_test(
    url: str, payload: Any, *, requests: int = 2000, concurrency: int = 16, timeout: float = 30.0
) -> LoadResult:
    """POST `payload` to `url` `requests` times from `concurrency` clients."""
    return asyncio.run(_run(url, payload, requests, concurrency, timeout))


async def _run(url: str, payload: Any, n: int, concurrency: int, timeout: float) -> LoadResult:
    import httpx

    result = LoadResult(concurrency=concurrency)
    queue = iter(range(n))

    async def client() -> None:
        async with httpx.AsyncClient(timeout=timeout) as http:
            for _ in queue:  # the shared iterator hands out the remaining requests
                start = time.perf_counter()
                try:
                    resp = await http.post(url, json=payload)
                    result.statuses[resp.status_code] += 1
                except httpx.HTTPError:
                    result.transport_errors += 1
                result.latencies_s.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - start
    return result
