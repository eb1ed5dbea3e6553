"""Run the gRPC twin as its own process: `python -m phase5_mlops.systems_patterns.server`.

Options mirror the REST service's settings: `--artifact-dir` (TABULAR_ARTIFACT_DIR),
`--max-batch`, plus the patterns: `--max-inflight/--max-queue` (shedding) and `--cache-ttl`.
It prints `listening on HOST:PORT` once it serves and stops cleanly on SIGTERM.
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
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("--max-batch", type=int, default=256)
    parser.add_argument("--max-inflight", type=int, default=0, help="0: no shedding")
    parser.add_argument("--max-queue", type=int, default=16)
    parser.add_argument("--cache-ttl", type=float, default=0.0, help="0: no cache")
    args = parser.parse_args(argv)
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
    with serve(servicer, port=args.port) as target:
        print(f"listening on {target}", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
