"""Benchmark: gRPC vs REST batch prediction on 127.0.0.1, and each pattern's load test.

Timing rows: the same batch through the gRPC twin and the REST service (real uvicorn), at
three batch sizes. Pattern rows: `ours` is with the pattern, `reference` without; their figures
(p99 of successes, error rates, model calls) are in the quality column.
"""

from __future__ import annotations

import os
import tempfile
from functools import partial
from pathlib import Path

from phase0_env.common.bench import BenchRow, compare, sizes


def run(quick: bool = False) -> list[BenchRow]:
    """gRPC vs REST at three batch sizes; shedding and single-flight load tests."""
    import httpx

    from phase0_env.common.testing import run_uvicorn
    from phase2_tabular.tabular_api.train import train
    from phase5_mlops.systems_patterns.client import TabularClient
    from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
    from phase5_mlops.systems_patterns.loadtest import (
        penguin_records,
        shedding_load,
        single_flight_load,
    )

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        artifact = train(Path(tmp) / "model", n_splits=3, seed=0)
        records = penguin_records()
        env = {**os.environ, "TABULAR_ARTIFACT_DIR": str(artifact), "TABULAR_PREDICTION_LOG": ""}
        with (
            run_uvicorn("phase2_tabular.tabular_api.app:create_app", env=env) as rest,
            serve(TabularServicer(artifact)) as target,
            httpx.Client() as http,
        ):
            client = TabularClient(target)
            for n in sizes(quick, full=(1, 32, 256)):
                batch = (records * (n // len(records) + 1))[:n]
                same = (
                    client.predict_batch(batch)
                    == http.post(f"{rest.url}/predict/batch", json={"records": batch}).json()
                )
                rows.append(
                    compare(
                        "predict_batch over 127.0.0.1 (grpc)",
                        n,
                        partial(client.predict_batch, batch),
                        partial(http.post, f"{rest.url}/predict/batch", json={"records": batch}),
                        reference="REST /predict/batch (uvicorn)",
                        repeats=20,
                        warmup=5,  # the first calls of a fresh channel are slower
                        quality={"answers_equal": same},
                    )
                )
            client.close()
        seconds = 1.0 if quick else 3.0
        on = shedding_load(artifact, shed=True, seconds=seconds)
        off = shedding_load(artifact, shed=False, seconds=seconds)
        rows.append(
            BenchRow(
                "load shedding: p99 of successes (32 clients, 2-slot model)",
                "32 clients",
                on["p99_ok_ms"] / 1000,
                "unbounded queue",
                off["p99_ok_ms"] / 1000,
                quality={
                    "goodput_rps": f"{on['goodput_rps']:.0f} vs {off['goodput_rps']:.0f}",
                    "p50_error_ms": f"{on['p50_error_ms']:.0f} vs {off['p50_error_ms']:.0f}",
                },
            )
        )
        sf = single_flight_load(artifact, "single_flight")
        stampede = single_flight_load(artifact, "cache")
        rows.append(
            BenchRow(
                "single-flight: 5 bursts of 16 identical cold requests (50 ms model)",
                80,
                sf["seconds"],
                "TTL cache without single-flight",
                stampede["seconds"],
                quality={"model_calls": f"{sf['model_calls']} vs {stampede['model_calls']}"},
            )
        )
    return rows
