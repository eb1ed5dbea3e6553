"""Parity: the distributed paths give the single-process results; both stream engines agree.

- Ray tuning: every fold score of every trial equals the serial run's (bit for bit: one seed,
  one BLAS thread per trial), and so does the chosen configuration.
- Ray batch inference: labels and probabilities of a seeded synthetic table equal one
  `predict_proba` over the whole table in one process.
- Streams: the in-memory engine delivers, claims and counts deliveries as Redis 7 does.
- Tracing: router and model spans of one request share the trace id, parent and child.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version
from phase5_mlops.scale_out.tuning import GRID, best, random_configs

BATCH_ROWS = 20_000
CONFIGS = GRID[:2] + GRID[-1:] + random_configs(1, seed=0)


def checks() -> list[ParityResult]:
    """Ray vs single process (tuning, batch inference), memory vs Redis streams, tracing."""
    from phase5_mlops.scale_out.ray_local import local_ray

    with tempfile.TemporaryDirectory() as tmp, local_ray(num_cpus=2):
        artifact = _train(Path(tmp))
        return [*tuning_checks(), *batch_checks(artifact), stream_check(), trace_check(artifact)]


def tuning_checks() -> list[ParityResult]:
    """Fold scores and the chosen configuration of Ray tasks vs the serial search."""
    from phase5_mlops.scale_out.tuning import tune_ray, tune_serial

    ref = f"{reference_version('scikit-learn')} (serial)"
    serial, parallel = tune_serial(CONFIGS), tune_ray(CONFIGS)
    scores = compare(
        "ray tuning: every fold score",
        [t.fold_scores for t in parallel],
        [t.fold_scores for t in serial],
        reference=ref,
        exact=True,
    )
    chosen = behaviour(
        "ray tuning: same best configuration",
        best(parallel).config == best(serial).config,
        f"best {best(serial).config} mean {best(serial).mean:.4f}",
    )
    return [scores, chosen]


def batch_checks(artifact: Path) -> list[ParityResult]:
    """Labels and probabilities of Ray tasks over chunks vs one process."""
    from phase2_tabular.tabular_api.artifact import load_artifact
    from phase5_mlops.scale_out.batch_inference import (
        predict_ray,
        predict_single,
        synthetic_penguins,
    )

    ref = f"{reference_version('scikit-learn')} (single process)"
    pipeline = load_artifact(artifact).pipeline
    table = synthetic_penguins(BATCH_ROWS, seed=0)
    _, proba = predict_single(pipeline, table)
    ray_labels, ray_proba = predict_ray(pipeline, table, n_chunks=4)
    return [
        compare(
            "ray batch inference: labels",
            ray_labels,
            pipeline.predict(table),
            reference=ref,
            exact=True,
        ),
        # Row-wise maths on contiguous chunks: the same float operations as one call.
        compare("ray batch inference: probabilities", ray_proba, proba, reference=ref, rtol=1e-12),
    ]


def stream_check() -> ParityResult:
    """The in-memory engine's deliveries, claims and delivery counts vs a real redis-server."""
    if shutil.which("redis-server") is None:
        return behaviour("streams: memory engine = redis", False, "redis-server is not installed")
    from phase5_mlops.scale_out.redis_streams import RedisStream
    from phase5_mlops.scale_out.streams import InMemoryStream
    from phase5_mlops.security.redis_server import redis_server

    with redis_server() as url:
        redis_trace = stream_trace(RedisStream.from_url(url, "parity"))
        import redis

        version = redis.Redis.from_url(url).info()["redis_version"]
    memory_trace = stream_trace(InMemoryStream())
    return compare(
        "streams: memory engine = redis",
        np.array(memory_trace, dtype=object),
        np.array(redis_trace, dtype=object),
        reference=f"redis-server {version}",
        exact=True,
    )


def stream_trace(stream) -> list[str]:  # type: ignore[no-untyped-def]
    """What two consumers see in a read / crash / claim / ack sequence, as flat strings."""
    for i in range(1, 13):
        stream.publish(f"log:{i}", {"i": i})
    a, b = stream.consumer("g", "a"), stream.consumer("g", "b")
    out = [f"a read {e.key}" for e in a.read(5)] + [f"b read {e.key}" for e in b.read(3)]
    out += [f"b claimed early {e.key}" for e in b.claim_stale(60_000)]
    time.sleep(0.03)
    claimed = b.claim_stale(20, count=4)
    out += [f"b claimed {e.key}" for e in claimed]
    out.append(f"acked {b.ack([e.id for e in claimed])}")
    out += [f"pending {p.consumer} x{p.deliveries}" for p in a.pending()]
    out += [f"c read {e.key}" for e in stream.consumer("g", "c").read(100)]
    return out


def trace_check(artifact: Path) -> ParityResult:
    """One request through router and model: one trace id, model span a child of the router's."""
    from phase5_mlops.scale_out.tracing import trace_one_request

    status, finished = trace_one_request(artifact)
    spans = {s.name: s for s in finished}
    router_span, model_span = (
        spans.get("router POST /predict"),
        spans.get("tabular_api POST /predict"),
    )
    call = spans.get("POST /predict")
    linked = (
        status == 200
        and router_span is not None
        and model_span is not None
        and call is not None
        # a missing parent is the failure this check exists to catch: report it, not crash
        and model_span.parent is not None
        and call.parent is not None
        and router_span.context.trace_id == model_span.context.trace_id
        and model_span.parent.span_id == call.context.span_id
        and call.parent.span_id == router_span.context.span_id
    )
    return behaviour("tracing: router -> model one trace, parent/child", linked, f"status {status}")


def _train(folder: Path) -> Path:
    from phase2_tabular.tabular_api.train import train

    return train(folder / "model", n_splits=3, seed=0)
