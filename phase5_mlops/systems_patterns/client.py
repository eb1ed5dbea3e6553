"""A small client of the gRPC twin that speaks the REST service's JSON shapes.

With a `RetryPolicy` it retries UNAVAILABLE and RESOURCE_EXHAUSTED (backoff with full jitter,
the server's `retry-after-ms` as a floor); with a `CircuitBreaker` it stops calling a server
that keeps failing (give it `counts=is_transient`, so that a caller's INVALID_ARGUMENT does not
open the circuit). A non-transient error is raised at once, never retried.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2

from phase5_mlops.systems_patterns import tabular_pb2 as pb
from phase5_mlops.systems_patterns.grpc_twin import SERVICE
from phase5_mlops.systems_patterns.resilience import CircuitBreaker, RetryPolicy, retry_call

TRANSIENT = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED)


class TabularClient:
    """`predict`, `predict_batch`, `predict_stream`: dicts in, REST-shaped dicts out."""

    def __init__(
        self,
        target: str,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.retry, self.breaker = retry, breaker
        self.channel = grpc.insecure_channel(target)
        path = f"/{SERVICE}/"
        self._predict = self.channel.unary_unary(
            path + "Predict", pb.PredictRequest.SerializeToString, pb.Prediction.FromString
        )
        self._batch = self.channel.unary_unary(
            path + "PredictBatch", pb.BatchRequest.SerializeToString, pb.BatchPrediction.FromString
        )
        self._stream = self.channel.unary_stream(
            path + "PredictStream", pb.BatchRequest.SerializeToString, pb.Prediction.FromString
        )
        self._feedback = self.channel.unary_unary(
            path + "RecordFeedback",
            pb.FeedbackRequest.SerializeToString,
            pb.FeedbackReply.FromString,
        )

    def predict(self, record: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """One record -> `{"label", "probabilities", "model_version"}` as REST's /predict."""
        request = pb.PredictRequest(record=to_struct(record))
        return as_dict(self._call(lambda: self._predict(request, timeout=timeout)))

    def predict_batch(
        self, records: list[dict[str, Any]], timeout: float | None = None
    ) -> dict[str, Any]:
        """Records -> `{"predictions": [...], "model_version"}` as REST's /predict/batch."""
        reply = self._batch(
            pb.BatchRequest(records=[to_struct(r) for r in records]), timeout=timeout
        )
        return {
            "predictions": [as_dict(p) for p in reply.predictions],
            "model_version": reply.model_version,
        }

    def predict_stream(self, records: list[dict[str, Any]], timeout: float | None = None) -> Any:
        """The server-streaming call itself (iterate it; `.cancel()` stops the server)."""
        return self._stream(
            pb.BatchRequest(records=[to_struct(r) for r in records]), timeout=timeout
        )

    def record_feedback(
        self,
        record: dict[str, Any],
        label: str,
        key: str | None = None,
        timeout: float | None = None,
    ) -> int:
        """Write the true `label` of `record`; retries are safe when `key` is given."""
        request = pb.FeedbackRequest(record=to_struct(record), label=label)
        metadata = (("idempotency-key", key),) if key else None
        reply = self._call(lambda: self._feedback(request, timeout=timeout, metadata=metadata))
        return int(reply.sequence)

    def _call(self, fn: Any) -> Any:
        guarded = fn if self.breaker is None else lambda: self.breaker.call(fn)  # type: ignore[union-attr]
        if self.retry is None:
            return guarded()
        return retry_call(guarded, is_transient, self.retry, retry_after=retry_after_s)

    def close(self) -> None:
        """Close the channel."""
        self.channel.close()


def to_struct(record: dict[str, Any]) -> struct_pb2.Struct:
    """A JSON record as a protobuf Struct (None becomes null_value)."""
    s = struct_pb2.Struct()
    s.update(record)
    return s


def as_dict(pred: pb.Prediction) -> dict[str, Any]:
    """A Prediction message as the REST JSON body (classes in sorted order, as the model's)."""
    body = json_format.MessageToDict(pred, preserving_proto_field_name=True)
    body["probabilities"] = dict(sorted(body["probabilities"].items()))  # a map has no order
    return body


def stream_dicts(call: Any) -> Iterator[dict[str, Any]]:
    """The messages of a streaming call as dicts."""
    for pred in call:
        yield as_dict(pred)


def is_transient(err: BaseException) -> bool:
    """UNAVAILABLE or RESOURCE_EXHAUSTED: worth another attempt."""
    return isinstance(err, grpc.RpcError) and err.code() in TRANSIENT


def retry_after_s(err: BaseException) -> float:
    """The server's `retry-after-ms` trailer in seconds (0 when absent)."""
    metadata = dict(err.trailing_metadata() or ()) if isinstance(err, grpc.RpcError) else {}
    return float(metadata.get("retry-after-ms", 0)) / 1000
