"""Demo: the gRPC twin next to the REST answer, then what each pattern buys, measured."""

from __future__ import annotations

import tempfile
from pathlib import Path


def main(quick: bool = False) -> None:
    """Train the phase 2 model, serve it over gRPC, run each pattern's bounded load test."""
    import grpc
    from fastapi.testclient import TestClient

    from phase2_tabular.tabular_api.app import create_app
    from phase2_tabular.tabular_api.settings import TabularSettings
    from phase2_tabular.tabular_api.train import train
    from phase5_mlops.systems_patterns.client import TabularClient, stream_dicts
    from phase5_mlops.systems_patterns.fault_sims import breaker_sim, idempotency_sim, retry_sim
    from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
    from phase5_mlops.systems_patterns.loadtest import (
        idempotency_load,
        penguin_records,
        shedding_load,
        single_flight_load,
    )

    with tempfile.TemporaryDirectory() as tmp:
        artifact = train(Path(tmp) / "model", n_splits=3, seed=0)
        records = penguin_records()
        app = create_app(TabularSettings(artifact_dir=str(artifact), prediction_log=""))
        with TestClient(app) as rest, serve(TabularServicer(artifact)) as target:
            client = TabularClient(target)
            print("record:", records[0])
            print("  gRPC Predict: ", client.predict(records[0]))
            print("  REST /predict:", rest.post("/predict", json=records[0]).json())
            streamed = list(stream_dicts(client.predict_stream(records[:3])))
            print("  PredictStream labels:", [p["label"] for p in streamed])
            try:
                client.predict({**records[0], "island": "Atlantis"})
            except grpc.RpcError as err:
                print(f"  bad island -> {err.code().name}: {err.details()}")
            client.close()

        print("\nidempotency keys (200 feedback writes, 20% of answers lost, client retries):")
        for keys in (False, True):
            ledger = idempotency_load(artifact, keys=keys)
            name = "with keys   " if keys else "without keys"
            print(f"  {name}: {ledger['applied']} rows, {ledger['duplicates']} duplicates")
        seconds = 1.0 if quick else 2.0
        print("\nload shedding (32 clients, a 2-slot model of 20 ms, 500 ms deadline):")
        for shed in (False, True):
            r = shedding_load(artifact, shed=shed, seconds=seconds)
            print(
                f"  {'bounded queue (4)' if shed else 'unbounded queue  '}: "
                f"goodput {r['goodput_rps']:5.1f}/s, errors {r['error_rate']:.0%}, "
                f"p99 ok {r['p99_ok_ms']:4.0f} ms, p50 error {r['p50_error_ms']:4.0f} ms"
            )
        print("\nsingle-flight (5 bursts of 16 identical cold requests):")
        for mode in ("none", "cache", "single_flight"):
            calls = single_flight_load(artifact, mode)
            print(
                f"  {mode:13s}: {calls['model_calls']:3.0f} model calls "
                f"for {calls['requests']:.0f} requests"
            )
    print(
        "\nretries (20% flaky dependency):",
        {b: retry_sim(b)["success_rate"] for b in (False, True)},
    )
    print(
        "breaker (dependency down 4 s):",
        {b: breaker_sim(b)["dependency_calls_in_outage"] for b in (False, True)},
    )
    print(
        "idempotency simulation (20% of answers lost), duplicates:",
        {b: idempotency_sim(b)["duplicates"] for b in (False, True)},
    )


if __name__ == "__main__":
    main()
