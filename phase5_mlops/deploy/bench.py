"""Bench: the router's overhead, the same requests sent direct and through the router.

Ours = through the router (a proxy hop: parse, pick, forward, copy back); reference = the
same uvicorn model server called directly. One client, one request at a time, so the ratio
is the per-request cost of the hop rather than a throughput figure.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import httpx

from phase0_env.common.bench import BenchRow, compare, sizes
from phase5_mlops.deploy.fleet import local_fleet, train_versions
from phase5_mlops.deploy.loadgen import penguin_records

REFERENCE = "direct to the uvicorn model server (no router)"


def run(quick: bool = False) -> list[BenchRow]:
    """Direct vs routed at three request counts (quick: 5/10/20, full: 100/300/1000)."""
    records = penguin_records()[:8]
    rows = []
    with tempfile.TemporaryDirectory(prefix="deploy-bench-") as tmp:
        versions = train_versions(Path(tmp) / "models")
        with local_fleet(*versions, Path(tmp) / "logs") as fleet, httpx.Client(timeout=30) as http:

            def send(url: str, n: int) -> None:
                for _ in range(n):
                    http.post(url + "/predict/batch", json={"records": records}).raise_for_status()

            for n in sizes(quick, full=(100, 300, 1000), small=(5, 10, 20)):
                row = compare(
                    "predict/batch via router",
                    n,
                    partial(send, fleet.router.url, n),
                    partial(send, fleet.blue.url, n),
                    reference=REFERENCE,
                    repeats=2 if quick else 3,
                )
                row.quality["overhead_ms_per_request"] = round(
                    (row.ours_s - (row.ref_s or 0.0)) / n * 1e3, 3
                )
                rows.append(row)
    return rows


if __name__ == "__main__":
    from phase0_env.common.bench import format_rows

    print(format_rows(run(quick=True)))
