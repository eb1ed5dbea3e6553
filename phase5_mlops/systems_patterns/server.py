"""Run the gRPC twin as its own process: `python -m phase5_mlops.systems_patterns.server`.

Options mirror the REST service's settings: `--artifact-dir` (TABULAR_ARTIFACT_DIR),
`--max-batch`, plus the patterns: `--max-inflight/--max-queue` (shedding) and `--cache-ttl`.
It prints `listening on HOST:PORT` once it serves; on SIGTERM in-flight calls get 10 s to
finish. `--check` is the container's health probe: one prediction against a running server.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading

from phase2_tabular.tabular_api.settings import DEFAULT_ARTIFACT_DIR
from phase5_mlops.systems_patterns.cache import SingleFlightCache
from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
from phase5_mlops.systems_patterns.idempotency import IdempotencyStore
from phase5_mlops.systems_patterns.shedding import Shedder


def main(argv: list[str] | None = None) -> None:
    """Parse the options, serve until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__)
    default_dir = os.environ.get("TABULAR_ARTIFACT_DIR", str(DEFAULT_ARTIFACT_DIR / "model"))
    parser.add_argument("--artifact-dir", default=default_dir)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("--check", action="store_true", help="probe a running server, exit 0/1")
    parser.add_argument("--max-batch", type=int, default=256)
    parser.add_argument("--max-inflight", type=int, default=0, help="0: no shedding")
    parser.add_argument("--max-queue", type=int, default=16)
    parser.add_argument("--cache-ttl", type=float, default=0.0, help="0: no cache")
    args = parser.parse_args(argv)
    if args.check:
        raise SystemExit(0 if healthy(f"127.0.0.1:{args.port}") else 1)
    servicer = TabularServicer(
        args.artifact_dir,
        max_batch=args.max_batch,
        shedder=Shedder(args.max_inflight, args.max_queue) if args.max_inflight else None,
        cache=SingleFlightCache(args.cache_ttl) if args.cache_ttl else None,
        idempotency=IdempotencyStore(),  # RecordFeedback requires an idempotency-key
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with serve(servicer, port=args.port, host=args.host, grace_s=10.0) as target:
        print(f"listening on {target}", flush=True)
        stop.wait()


def healthy(target: str, timeout_s: float = 2.0) -> bool:
    """True when the server at `target` answers a prediction of the example record."""
    import grpc

    from phase2_tabular.common.tables import TABLES
    from phase2_tabular.tabular_api.schemas import example_record
    from phase5_mlops.systems_patterns.client import TabularClient

    client = TabularClient(target)
    try:
        client.predict(example_record(TABLES["penguins"]), timeout=timeout_s)
        return True
    except grpc.RpcError:
        return False
    finally:
        client.close()


if __name__ == "__main__":
    main()
