"""A bounded load run: N requests from C concurrent clients; requests/s and p50/p99.

The client is asyncio over httpx, one keep-alive connection per client. `wrk` is not used
even where it is installed: its runs are bounded by time, not by count, and it reports only
"non-2xx" rather than each status, while the suite must count 5xx answers exactly. The report
names the tool and whether `wrk` was present (`wrk_available`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from phase5_mlops.security.attack.targets import Call


@dataclass
class LoadFigures:
    """What one load run measured."""

    clients: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]
    transport_errors: int
    tool: str
    samples: list[str]  # the first few 5xx bodies and transport errors, for diagnosis

    @property
    def server_errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if s.startswith("5"))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "5xx": self.server_errors}


def wrk_available() -> bool:
    """Whether `wrk` is on PATH (recorded in the report; see the module docstring)."""
    import shutil

    return shutil.which("wrk") is not None


def run_load(
    url: str, call: Call, headers: dict[str, str], *, requests: int, clients: int
) -> LoadFigures:
    """Send `call` `requests` times from `clients` concurrent clients."""
    return asyncio.run(_run(url, call, headers, requests, clients))


async def _run(url: str, call: Call, headers: dict[str, str], n: int, clients: int) -> LoadFigures:
    import httpx

    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors = 0
    samples: list[str] = []
    queue = iter(range(n))
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(
            base_url=url, timeout=120, headers=headers, limits=limits
        ) as http:
            for _ in queue:  # the shared iterator hands out the remaining requests
                start = time.perf_counter()
                try:
                    resp = await http.request(
                        call.method, call.path, json=call.body, params=call.params
                    )
                    key = str(resp.status_code)
                    statuses[key] = statuses.get(key, 0) + 1
                    if resp.status_code >= 500 and len(samples) < 3:
                        samples.append(f"{resp.status_code}: {resp.text[:300]}")
                except httpx.HTTPError as err:
                    errors += 1
                    if len(samples) < 3:
                        samples.append(repr(err)[:300])
                latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    seconds = time.perf_counter() - start
    ms = np.array(latencies) * 1e3
    p50, p99 = (float(x) for x in np.percentile(ms, [50, 99])) if ms.size else (0.0, 0.0)
    return LoadFigures(
        clients,
        n,
        round(seconds, 3),
        round(n / seconds, 1) if seconds > 0 else 0.0,
        round(p50, 2),
        round(p99, 2),
        dict(sorted(statuses.items())),
        errors,
        "httpx-asyncio",
        samples,
    )
