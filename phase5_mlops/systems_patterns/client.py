"""A small client of the gRPC twin that speaks the REST service's JSON shapes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2

from phase5_mlops.systems_patterns import tabular_pb2 as pb
from phase5_mlops.systems_patterns.grpc_twin import SERVICE


class TabularClient:
    """`predict`, `predict_batch`, `predict_stream`: dicts in, REST-shaped dicts out."""

    def __init__(self, target: str) -> None:
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

    def predict(self, record: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """One record -> `{"label", "probabilities", "model_version"}` as REST's /predict."""
        return as_dict(self._predict(pb.PredictRequest(record=to_struct(record)), timeout=timeout))

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

    def close(self) -> None:
        """Close the channel."""
        self.channel.close()


def to_struct(record: dict[str, Any]) -> struct_pb2.Struct:
    """A JSON record as a protobuf Struct (None becomes null_value)."""
    s = struct_pb2.Struct()
    s.update(record)
    return s


def as_dict(pred: pb.Prediction) -> dict[str, Any]:
    """A Prediction message as the REST JSON body."""
    return json_format.MessageToDict(pred, preserving_proto_field_name=True)


def stream_dicts(call: Any) -> Iterator[dict[str, Any]]:
    """The messages of a streaming call as dicts."""
    for pred in call:
        yield as_dict(pred)
