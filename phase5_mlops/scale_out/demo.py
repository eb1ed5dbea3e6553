"""Demo: Ray tuning and batch inference, the prediction log through a stream, a traced request."""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import ReadableSpan


def main(quick: bool = False) -> None:
    """Print each part's result next to the single-process (or Redis) reference."""
    from phase2_tabular.tabular_api.artifact import load_artifact
    from phase2_tabular.tabular_api.train import train
    from phase5_mlops.scale_out.ray_local import local_ray

    with tempfile.TemporaryDirectory() as tmp, local_ray(num_cpus=2):
        artifact = train(Path(tmp) / "model", n_splits=3, seed=0)
        _tuning(quick)
        _batch(load_artifact(artifact).pipeline, 20_000 if quick else 500_000)
        _stream(artifact, Path(tmp))
        _trace(artifact)
        if not quick:
            _parity()


def _tuning(quick: bool) -> None:
    from phase5_mlops.scale_out.tuning import GRID, best, random_configs, tune_ray, tune_serial

    configs = GRID + random_configs(2 if quick else 8, seed=0)
    start = time.perf_counter()
    serial = tune_serial(configs)
    serial_s, start = time.perf_counter() - start, time.perf_counter()
    parallel = tune_ray(configs)
    ray_s = time.perf_counter() - start
    print(f"\nTuning {len(configs)} configurations (3-fold balanced accuracy):")
    for s, r in zip(serial, parallel, strict=True):
        same = "equal" if s.fold_scores == r.fold_scores else "DIFFERENT"
        print(f"  {s.mean:.4f}  ray {same:<9} {s.config}")
    print(f"  best: {best(parallel).config}; serial {serial_s:.1f} s, ray tasks {ray_s:.1f} s")


def _batch(pipeline, rows: int) -> None:  # type: ignore[no-untyped-def]
    from phase5_mlops.scale_out.batch_inference import (
        predict_ray,
        predict_single,
        synthetic_penguins,
    )

    table = synthetic_penguins(rows, seed=0)
    start = time.perf_counter()
    labels, proba = predict_single(pipeline, table)
    single_s, start = time.perf_counter() - start, time.perf_counter()
    ray_labels, ray_proba = predict_ray(pipeline, table, n_chunks=4)
    ray_s = time.perf_counter() - start
    print(f"\nBatch inference over {rows:,} synthetic penguins:")
    mismatches, diff = int(np.sum(labels != ray_labels)), np.max(np.abs(proba - ray_proba))
    print(
        f"  one process {single_s:.2f} s, ray tasks {ray_s:.2f} s; label mismatches "
        f"{mismatches}, max probability diff {diff:.1g}"
    )


def _stream(artifact: Path, tmp: Path) -> None:
    from fastapi.testclient import TestClient

    from phase2_tabular.tabular_api.app import create_app
    from phase2_tabular.tabular_api.settings import TabularSettings
    from phase5_mlops.monitoring.live import training_reference
    from phase5_mlops.monitoring.traffic import penguin_requests
    from phase5_mlops.scale_out.drift_feed import DriftFeed
    from phase5_mlops.scale_out.redis_streams import RedisStream
    from phase5_mlops.scale_out.shipper import LogShipper
    from phase5_mlops.scale_out.streams import InMemoryStream, drain

    log = tmp / "predictions.jsonl"
    settings = TabularSettings(
        artifact_dir=str(artifact), prediction_log=str(log), log_level="WARNING"
    )
    with TestClient(create_app(settings)) as client:
        records = penguin_requests(200, seed=1) + penguin_requests(200, seed=2, drifted=True)
        for i in range(0, len(records), 100):
            client.post("/predict/batch", json={"records": records[i : i + 100]}).raise_for_status()
    use_redis = shutil.which("redis-server") is not None
    server: AbstractContextManager[str | None]
    if use_redis:
        from phase5_mlops.security.redis_server import redis_server

        server = redis_server()
    else:
        server = nullcontext(None)
    with server as url:
        stream = RedisStream.from_url(url, "predictions") if url else InMemoryStream()
        shipped = LogShipper(log, stream).ship()
        feed = DriftFeed(training_reference(artifact), window=200)
        for event in stream.consumer("monitor", "crashes").read(150):
            feed.handle(event)  # ...and dies before XACK
        time.sleep(0.1)
        drained = drain(stream.consumer("monitor", "survivor"), feed.handle, min_idle_ms=50)
    print(
        f"\nPrediction log on {'Redis Streams' if use_redis else 'the in-memory stream'}: "
        f"{shipped} events shipped; consumer 1 read 150 and crashed; consumer 2 handled "
        f"{drained} (150 reclaimed); {len(feed.records)} unique, "
        f"{feed.duplicates} duplicates dropped"
    )
    print(f"  drift on the last 200 events: {sorted(feed.verdict().drifted)}")


def _trace(artifact: Path) -> None:
    from phase5_mlops.scale_out.tracing import trace_one_request

    status, spans = trace_one_request(artifact)
    if status != 200:
        raise RuntimeError(f"the traced request failed with {status}")
    print("\nOne request, router -> model (W3C traceparent):")
    for span in sorted(spans, key=_start_time):
        parent = f"{span.parent.span_id:016x}" if span.parent else "-"
        print(
            f"  trace {span.context.trace_id:032x} span {span.context.span_id:016x} "
            f"parent {parent:<16} {span.kind.name:<6} {span.name}"
        )


def _parity() -> None:
    from phase5_mlops.scale_out.parity import checks

    print("\nParity:")
    for r in checks():
        print(f"  {'ok  ' if r.passed else 'FAIL'} {r.name:<52} vs {r.reference}")


def _start_time(span: ReadableSpan) -> int:
    """A finished span's start (ns); every finished span has one."""
    if span.start_time is None:
        raise ValueError(f"span {span.name!r} finished without a start time")
    return span.start_time
