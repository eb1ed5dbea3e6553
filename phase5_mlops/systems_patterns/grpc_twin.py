"""The gRPC twin of the phase 2 tabular API: same contract, same model, same answers.

Records arrive as `google.protobuf.Struct`, are validated by the REST service's own generated
pydantic model and predicted by the same pipeline, so a gRPC answer equals the REST one on the
same input. REST errors map to gRPC status codes (`HTTP_TO_GRPC`); the client's deadline bounds
the time a request may wait for a slot; a cancelled stream stops predicting. Optional
patterns: a `Shedder` in front of the model (RESOURCE_EXHAUSTED with a `retry-after-ms`
trailer), a single-flight TTL cache for `Predict`, and idempotency keys for the one write,
`RecordFeedback` (the true label of a record, for retraining).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import json_format
from pydantic import ValidationError

from phase2_tabular.common.tables import TABLES
from phase2_tabular.tabular_api.app import to_frame
from phase2_tabular.tabular_api.artifact import load_artifact
from phase2_tabular.tabular_api.schemas import record_model
from phase5_mlops.systems_patterns import tabular_pb2 as pb
from phase5_mlops.systems_patterns.cache import SingleFlightCache
from phase5_mlops.systems_patterns.idempotency import IdempotencyStore, KeyReused
from phase5_mlops.systems_patterns.shedding import Overloaded, Shedder

SERVICE = "tabular.v1.Tabular"

# The REST service's error statuses and their gRPC twins (google.rpc code mapping).
HTTP_TO_GRPC: dict[int, grpc.StatusCode] = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    401: grpc.StatusCode.UNAUTHENTICATED,
    403: grpc.StatusCode.PERMISSION_DENIED,
    404: grpc.StatusCode.NOT_FOUND,
    409: grpc.StatusCode.FAILED_PRECONDITION,  # artifact refused, old model still serving
    413: grpc.StatusCode.RESOURCE_EXHAUSTED,  # grpc's own answer to an oversized message
    422: grpc.StatusCode.INVALID_ARGUMENT,  # pydantic validation
    429: grpc.StatusCode.RESOURCE_EXHAUSTED,  # shed or rate-limited, with retry-after
    500: grpc.StatusCode.INTERNAL,
    503: grpc.StatusCode.UNAVAILABLE,  # no model loaded
    504: grpc.StatusCode.DEADLINE_EXCEEDED,
}


class TabularServicer:
    """Predict / PredictBatch / PredictStream over one loaded phase 2 artifact."""

    def __init__(
        self,
        artifact_dir: Path | str | None,
        table: str = "penguins",
        max_batch: int = 256,
        shedder: Shedder | None = None,
        cache: SingleFlightCache[pb.Prediction] | None = None,
        work_s: float = 0.0,
        idempotency: IdempotencyStore | None = None,
        lose_reply_p: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.spec = TABLES[table]
        self.artifact = None if artifact_dir is None else load_artifact(artifact_dir, self.spec)
        self.Record = record_model(self.spec)
        self.max_batch, self.shedder, self.cache = max_batch, shedder, cache
        # Simulated extra service time per model call (load tests of a slow backend); 0 in use.
        self.work_s = work_s
        self._lock = threading.Lock()
        self.model_calls = 0
        self.streamed = 0
        self.cancelled = threading.Event()
        # Writes: the feedback ledger, made idempotent by `idempotency` (None: keys ignored).
        self.idempotency = idempotency
        self.feedback: list[dict[str, Any]] = []
        # Load tests: the answer of a write that was applied is lost with this probability.
        self.lose_reply_p, self._rng = lose_reply_p, random.Random(seed)

    # -- RPCs (named as in tabular.proto) -----------------------------------------------------
    def Predict(  # noqa: N802
        self, request: pb.PredictRequest, context: grpc.ServicerContext
    ) -> pb.Prediction:
        record = self._validate([request.record], context)[0]
        if self.cache is None:
            return self._admitted(lambda: self._predict([record])[0], context)
        key = json.dumps(record, sort_keys=True)
        # The leader's Overloaded reaches its followers as an exception, and each of them turns
        # it into its own RESOURCE_EXHAUSTED (an abort belongs to one RPC's context).
        return self._admitted(
            lambda: self.cache.get(  # type: ignore[union-attr]
                key, lambda: self._within_capacity(lambda: self._predict([record])[0], context)
            ),
            context,
            shed=False,
        )

    def PredictBatch(  # noqa: N802
        self, request: pb.BatchRequest, context: grpc.ServicerContext
    ) -> pb.BatchPrediction:
        records = self._validate(request.records, context)
        preds = self._admitted(lambda: self._predict(records), context)
        return pb.BatchPrediction(predictions=preds, model_version=preds[0].model_version)

    def PredictStream(  # noqa: N802
        self, request: pb.BatchRequest, context: grpc.ServicerContext
    ) -> Iterator[pb.Prediction]:
        records = self._validate(request.records, context)
        context.add_callback(self.cancelled.set)  # runs when the RPC ends, cancelled or not
        for record in records:
            if not context.is_active():  # the client cancelled or its deadline passed
                return
            yield self._admitted(lambda r=record: self._predict([r])[0], context)  # type: ignore[misc]
            with self._lock:
                self.streamed += 1

    def RecordFeedback(  # noqa: N802
        self, request: pb.FeedbackRequest, context: grpc.ServicerContext
    ) -> pb.FeedbackReply:
        record = self._validate([request.record], context)[0]
        if request.label not in self.spec.classes:
            context.abort(HTTP_TO_GRPC[422], f"label: one of {list(self.spec.classes)}")
        body = {"record": record, "label": request.label}

        def write() -> int:
            with self._lock:
                self.feedback.append(body)
                return len(self.feedback)

        if self.idempotency is None:
            sequence = write()
        else:
            key = dict(context.invocation_metadata()).get("idempotency-key")
            if not key:
                context.abort(HTTP_TO_GRPC[422], "idempotency-key metadata is required")
            try:
                sequence = self.idempotency.run(str(key), body, write)
            except KeyReused as err:
                context.abort(HTTP_TO_GRPC[422], str(err))
        with self._lock:
            lost = self._rng.random() < self.lose_reply_p
        if lost:
            context.abort(grpc.StatusCode.UNAVAILABLE, "reply lost (simulated)")
        return pb.FeedbackReply(sequence=sequence)

    # -- helpers ---------------------------------------------------------------------------
    def _validate(self, structs: Any, context: grpc.ServicerContext) -> list[dict[str, Any]]:
        if not 1 <= len(structs) <= self.max_batch:
            context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"records: 1..{self.max_batch} records, got {len(structs)}",
            )
        try:
            return [
                self.Record.model_validate(json_format.MessageToDict(s)).model_dump()
                for s in structs
            ]
        except ValidationError as err:
            context.abort(HTTP_TO_GRPC[422], _first_error(err))
            raise  # abort raises; this line keeps type checkers honest
        except ValueError as err:  # a Struct can carry NaN / infinity, which JSON cannot
            context.abort(HTTP_TO_GRPC[422], f"not a JSON value: {err}")
            raise  # abort raises; this line keeps type checkers honest

    def _admitted(self, fn: Any, context: grpc.ServicerContext, shed: bool = True) -> Any:
        """`fn()` within capacity (unless `shed=False`: `fn` takes its own slot); 503 / 429."""
        if self.artifact is None:
            context.abort(HTTP_TO_GRPC[503], "no model loaded")
        try:
            return self._within_capacity(fn, context) if shed else fn()
        except Overloaded as err:
            context.set_trailing_metadata((("retry-after-ms", str(int(err.retry_after_s * 1000))),))
            context.abort(HTTP_TO_GRPC[429], f"overloaded: {err}")

    def _within_capacity(self, fn: Any, context: grpc.ServicerContext) -> Any:
        if self.shedder is None:
            return fn()
        with self.shedder.admit(timeout_s=context.time_remaining()):
            return fn()

    def _predict(self, records: list[dict[str, Any]]) -> list[pb.Prediction]:
        assert self.artifact is not None
        with self._lock:
            self.model_calls += 1
        if self.work_s:
            time.sleep(self.work_s)
        proba = self.artifact.pipeline.predict_proba(to_frame(records, self.spec))
        classes = [str(c) for c in self.artifact.pipeline.classes_]
        version = self.artifact.version
        return [
            pb.Prediction(
                label=classes[int(row.argmax())],
                probabilities={c: float(p) for c, p in zip(classes, row, strict=True)},
                model_version=version,
            )
            for row in proba
        ]


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


@contextmanager
def serve(
    servicer: TabularServicer,
    port: int = 0,
    max_workers: int = 16,
    host: str = "127.0.0.1",
    grace_s: float | None = None,
) -> Iterator[str]:
    """Run `servicer` on `host` (port 0: a free one) and yield `host:port`; on exit in-flight
    calls get `grace_s` seconds to finish (None: cancelled at once)."""
    server = grpc.server(
        ThreadPoolExecutor(max_workers=max_workers),
        options=[("grpc.max_receive_message_length", 512_000)],  # the REST body bound
    )
    server.add_generic_rpc_handlers((generic_handler(servicer),))
    bound = server.add_insecure_port(f"{host}:{port}")
    server.start()
    try:
        yield f"{host}:{bound}"
    finally:
        server.stop(grace=grace_s).wait()


def generic_handler(servicer: TabularServicer) -> grpc.GenericRpcHandler:
    """The `tabular.v1.Tabular` service's method handlers."""
    return grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "Predict": grpc.unary_unary_rpc_method_handler(
                servicer.Predict, pb.PredictRequest.FromString, pb.Prediction.SerializeToString
            ),
            "PredictBatch": grpc.unary_unary_rpc_method_handler(
                servicer.PredictBatch,
                pb.BatchRequest.FromString,
                pb.BatchPrediction.SerializeToString,
            ),
            "PredictStream": grpc.unary_stream_rpc_method_handler(
                servicer.PredictStream, pb.BatchRequest.FromString, pb.Prediction.SerializeToString
            ),
            "RecordFeedback": grpc.unary_unary_rpc_method_handler(
                servicer.RecordFeedback,
                pb.FeedbackRequest.FromString,
                pb.FeedbackReply.SerializeToString,
            ),
        },
    )
