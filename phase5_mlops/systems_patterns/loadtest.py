"""Bounded load tests on 127.0.0.1: what each pattern buys, measured with and without it.

Every run is bounded (a fixed number of requests or seconds) and seeded. The gRPC ones use real
sockets on 127.0.0.1; the retry / breaker / idempotency ones drive an in-process flaky
dependency, because what they measure is call counts and outcomes, not the network.
"""

from __future__ import annotations

import json
from typing import Any

from phase2_tabular.common.tables import load_table


def penguin_records(n: int | None = None) -> list[dict[str, Any]]:
    """Rows of the penguins table as REST records (NaN -> None)."""
    import math

    df, spec = load_table("penguins")
    out = []
    for row in df[list(spec.features)].to_dict("records"):
        out.append(
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        )
    return out[:n] if n else out


def _pct(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(values, q)) * 1000 if values else float("nan")


def shedding_load(
    artifact: Any,
    shed: bool,
    clients: int = 32,
    seconds: float = 2.0,
    work_s: float = 0.02,
    deadline_s: float = 0.5,
) -> dict[str, float]:
    """Closed-loop overload of a 2-slot model over gRPC: a bounded queue of 4 vs an unbounded one.

    The model holds 2 requests at a time for `work_s` (a slow backend: 100 req/s of capacity);
    `clients` callers with a `deadline_s` deadline offer far more. Latency in ms.
    """
    import threading
    import time

    import grpc

    from phase5_mlops.systems_patterns.client import TabularClient
    from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
    from phase5_mlops.systems_patterns.shedding import Shedder

    shedder = Shedder(2, 4 if shed else 1_000_000, retry_after_s=0.05)
    servicer = TabularServicer(artifact, shedder=shedder, work_s=work_s)
    record = penguin_records(1)[0]
    ok: list[float] = []
    failed: list[float] = []
    codes: dict[str, int] = {}
    lock = threading.Lock()
    with serve(servicer, max_workers=clients + 8) as target:
        client = TabularClient(target)
        stop = time.monotonic() + seconds

        def worker() -> None:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                try:
                    client.predict(record, timeout=deadline_s)
                    with lock:
                        ok.append(time.perf_counter() - t0)
                except grpc.RpcError as err:
                    with lock:
                        failed.append(time.perf_counter() - t0)
                        codes[err.code().name] = codes.get(err.code().name, 0) + 1
                    if err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                        time.sleep(0.05)  # the retry-after hint: back off before the next call

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        client.close()
    total = len(ok) + len(failed)
    return {
        "requests": total,
        "goodput_rps": len(ok) / seconds,
        "error_rate": len(failed) / total if total else 0.0,
        "p50_ok_ms": _pct(ok, 50),
        "p99_ok_ms": _pct(ok, 99),
        "p50_error_ms": _pct(failed, 50),
        **{f"errors_{k}": float(v) for k, v in sorted(codes.items())},
    }


def single_flight_load(
    artifact: Any, mode: str, bursts: int = 5, concurrency: int = 16, work_s: float = 0.05
) -> dict[str, float]:
    """`bursts` rounds of `concurrency` identical cold requests over gRPC; model calls counted.

    `mode`: "none" (no cache), "cache" (TTL cache, no single-flight), "single_flight".
    """
    from concurrent.futures import ThreadPoolExecutor

    from phase5_mlops.systems_patterns.cache import SingleFlightCache
    from phase5_mlops.systems_patterns.client import TabularClient
    from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve

    cache: SingleFlightCache[Any] | None = None
    if mode != "none":
        cache = SingleFlightCache(60.0, single_flight=mode == "single_flight")
    servicer = TabularServicer(artifact, cache=cache, work_s=work_s)
    import time

    records = penguin_records(bursts)
    t0 = time.perf_counter()
    with (
        serve(servicer, max_workers=concurrency + 4) as target,
        ThreadPoolExecutor(concurrency) as pool,
    ):
        client = TabularClient(target)
        answers = 0
        for record in records:  # each burst: a key nobody asked for yet (a cold or expired key)
            answers += len(
                list(pool.map(lambda _, r=record: client.predict(r), range(concurrency)))
            )
        client.close()
    return {
        "requests": answers,
        "model_calls": servicer.model_calls,
        "seconds": time.perf_counter() - t0,
    }


def idempotency_load(
    artifact: Any, keys: bool, writes: int = 200, lose_reply_p: float = 0.2, threads: int = 8
) -> dict[str, int]:
    """`writes` feedback writes over gRPC whose answers are lost with `lose_reply_p` after being
    applied; the client retries UNAVAILABLE. Counts what the ledger holds."""
    from concurrent.futures import ThreadPoolExecutor

    from phase5_mlops.systems_patterns.client import TabularClient
    from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
    from phase5_mlops.systems_patterns.idempotency import IdempotencyStore
    from phase5_mlops.systems_patterns.resilience import RetryPolicy

    servicer = TabularServicer(
        artifact, idempotency=IdempotencyStore() if keys else None, lose_reply_p=lose_reply_p
    )
    records = penguin_records(writes)
    with serve(servicer, max_workers=threads + 4) as target, ThreadPoolExecutor(threads) as pool:
        client = TabularClient(target, retry=RetryPolicy(attempts=20, base_s=0.001, cap_s=0.01))

        def send(i: int) -> int:
            return client.record_feedback(records[i], "Adelie", key=f"fb-{i}" if keys else None)

        list(pool.map(send, range(writes)))
        client.close()
    distinct = len({json.dumps(f, sort_keys=True) for f in servicer.feedback})
    return {
        "writes": writes,
        "applied": len(servicer.feedback),
        "duplicates": len(servicer.feedback) - distinct,
    }
