"""Bench: requests per second of the kit app vs a bare FastAPI app with the same /hello route.

Both run in-process through TestClient, so the ratio is the kit's middleware overhead
(request id, body and rate limits, metrics), not network cost. Access logging is set to
WARNING on both so the numbers do not measure a terminal.
"""

from __future__ import annotations

from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes


def run(quick: bool = False) -> list[BenchRow]:
    """ours (kit) vs bare FastAPI at 100/1000/3000 requests (quick: 10/100/300)."""
    import logging

    from fastapi.testclient import TestClient

    from phase0_env.common.parity import reference_version
    from phase0_env.hello_service.app import HelloSettings, create_app
    from phase0_env.hello_service.demo import bare_app

    ours = TestClient(create_app(HelloSettings(log_level="WARNING")))
    logging.getLogger().setLevel(logging.WARNING)
    bare = TestClient(bare_app())
    rows = []
    for n in sizes(quick, full=(100, 1000, 3000)):
        ok = {"ours": 0, "bare": 0}
        row = compare(
            "GET /hello, in-process",
            n,
            partial(_hit, ours, n, ok, "ours"),
            partial(_hit, bare, n, ok, "bare"),
            reference=f"bare {reference_version('fastapi')}",
            repeats=3,
            warmup=1,
        )
        row.quality = {
            "ours_rps": round(n / row.ours_s, 1),
            "bare_rps": round(n / row.ref_s, 1) if row.ref_s else None,
            "ok": ok["ours"] == ok["bare"] == n,
        }
        rows.append(row)
    return rows


def _hit(client, n: int, ok: dict[str, int], which: str) -> None:  # type: ignore[no-untyped-def]
    """Send n GET /hello requests; record how many answered 200."""
    ok[which] = sum(client.get("/hello?name=bench").status_code == 200 for _ in range(n))
