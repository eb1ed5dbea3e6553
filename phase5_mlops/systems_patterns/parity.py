"""Checks: the gRPC twin equals the REST service; each pattern keeps its guarantee.

- gRPC Predict / PredictBatch equal REST /predict and /predict/batch on real penguins rows
  (exactly: same model, doubles carried bit for bit); a 422 is INVALID_ARGUMENT.
- Single-flight: 16 concurrent identical cold requests over gRPC make one model call.
- Shedding: over capacity, RESOURCE_EXHAUSTED with the retry-after trailer, never a hang.
- Idempotency: gRPC writes whose answers are lost and retried apply once each.
- Retries lift the success rate over a 20 % flaky dependency; the breaker stops calling a
  dead dependency.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from phase0_env.common.parity import ParityResult, behaviour, compare


def checks() -> list[ParityResult]:
    """The twin against REST, then one behaviour check per pattern."""
    from phase2_tabular.tabular_api.train import train

    with tempfile.TemporaryDirectory() as tmp:
        artifact = train(Path(tmp) / "model", n_splits=3, seed=0)
        return [*twin_checks(artifact), *pattern_checks(artifact)]


def twin_checks(artifact: Path) -> list[ParityResult]:
    """gRPC answers vs the REST service's on the same penguins rows."""
    import grpc
    from fastapi.testclient import TestClient

    from phase2_tabular.tabular_api.app import create_app
    from phase2_tabular.tabular_api.settings import TabularSettings
    from phase5_mlops.systems_patterns.client import TabularClient
    from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
    from phase5_mlops.systems_patterns.loadtest import penguin_records

    records = penguin_records()
    app = create_app(TabularSettings(artifact_dir=str(artifact), prediction_log=""))
    with TestClient(app) as rest, serve(TabularServicer(artifact)) as target:
        client = TabularClient(target)
        ref = rest.post("/predict/batch", json={"records": records[:256]}).json()["predictions"]
        ours = client.predict_batch(records[:256])["predictions"]
        singles = [(client.predict(r), rest.post("/predict", json=r).json()) for r in records[::10]]
        try:
            client.predict({**records[0], "island": "Atlantis"})
            code = "OK"
        except grpc.RpcError as err:
            code = err.code().name
        client.close()
    classes = sorted(ref[0]["probabilities"])
    return [
        compare(
            "grpc batch: probabilities = REST",
            [[p["probabilities"][c] for c in classes] for p in ours],
            [[p["probabilities"][c] for c in classes] for p in ref],
            reference="REST /predict/batch",
            exact=True,
        ),
        behaviour(
            "grpc: labels and versions = REST (batch and unary)",
            [(p["label"], p["model_version"]) for p in ours]
            == [(p["label"], p["model_version"]) for p in ref]
            and all(a == b for a, b in singles),
            f"{len(ours)} batch rows, {len(singles)} unary",
        ),
        behaviour("grpc: REST 422 -> INVALID_ARGUMENT", code == "INVALID_ARGUMENT", code),
    ]


def pattern_checks(artifact: Path) -> list[ParityResult]:
    """One guarantee per pattern, measured (see loadtest.py and fault_sims.py)."""
    from phase5_mlops.systems_patterns.fault_sims import breaker_sim, retry_sim
    from phase5_mlops.systems_patterns.loadtest import idempotency_load, single_flight_load

    sf = single_flight_load(artifact, "single_flight", bursts=2, concurrency=16)
    idem = idempotency_load(artifact, keys=True, writes=100)
    retry_off, retry_on = retry_sim(False), retry_sim(True)
    br_off, br_on = breaker_sim(False), breaker_sim(True)
    return [
        behaviour(
            "single-flight: 16 concurrent misses -> 1 model call",
            sf["model_calls"] == 2,
            f"{sf['requests']} requests, {sf['model_calls']} model calls (2 keys)",
        ),
        shed_check(artifact),
        behaviour(
            "idempotency: lost answers retried -> applied once",
            idem["duplicates"] == 0 and idem["applied"] == idem["writes"],
            f"{idem}",
        ),
        behaviour(
            "retries: success rate over a 20% flaky dependency",
            retry_on["success_rate"] > 0.99 > retry_off["success_rate"],
            f"{retry_off['success_rate']:.3f} -> {retry_on['success_rate']:.3f}",
        ),
        behaviour(
            "breaker: calls to a dead dependency",
            br_on["dependency_calls_in_outage"] < br_off["dependency_calls_in_outage"] / 10,
            f"{br_off['dependency_calls_in_outage']:.0f} -> "
            f"{br_on['dependency_calls_in_outage']:.0f}",
        ),
    ]


def shed_check(artifact: Path) -> ParityResult:
    """8 concurrent calls at a 1-slot, no-queue server: the excess is shed with retry-after."""
    import grpc

    from phase5_mlops.systems_patterns.client import TabularClient
    from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
    from phase5_mlops.systems_patterns.loadtest import penguin_records
    from phase5_mlops.systems_patterns.shedding import Shedder

    record = penguin_records(1)[0]
    with serve(TabularServicer(artifact, shedder=Shedder(1, 0), work_s=0.3)) as target:
        client = TabularClient(target)
        with ThreadPoolExecutor(8) as pool:
            errors = [
                f.exception() for f in [pool.submit(client.predict, record, 5.0) for _ in range(8)]
            ]
        client.close()
    shed = [e for e in errors if isinstance(e, grpc.RpcError)]
    ok = (
        bool(shed)
        and len(shed) < 8
        and all(
            e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            and "retry-after-ms" in dict(e.trailing_metadata())
            for e in shed
        )
    )
    return behaviour(
        "shedding: over capacity -> RESOURCE_EXHAUSTED + retry-after",
        ok,
        f"{8 - len(shed)} served, {len(shed)} shed",
    )
