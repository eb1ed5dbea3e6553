"""The gRPC twin answers as REST does, maps its errors, honours deadlines and cancels."""

import time

import grpc
import pytest
from fastapi.testclient import TestClient

from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase5_mlops.systems_patterns.client import TabularClient, stream_dicts
from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
from phase5_mlops.systems_patterns.protos import GENERATED, compiled_descriptor, generate


@pytest.fixture(scope="module")
def rest(artifact):
    with TestClient(
        create_app(TabularSettings(artifact_dir=str(artifact), prediction_log=""))
    ) as c:
        yield c


@pytest.fixture(scope="module")
def grpc_client(artifact):
    with serve(TabularServicer(artifact, max_batch=256)) as target:
        client = TabularClient(target)
        yield client
        client.close()


def test_generated_module_is_current():
    # Compared as descriptors, not text: a formatter may have touched the committed copy.
    from google.protobuf import descriptor_pb2

    from phase5_mlops.systems_patterns import tabular_pb2

    committed = descriptor_pb2.FileDescriptorProto.FromString(tabular_pb2.DESCRIPTOR.serialized_pb)
    fresh = descriptor_pb2.FileDescriptorProto.FromString(compiled_descriptor())
    assert committed == fresh, "tabular_pb2.py is stale: run python -m ...systems_patterns.protos"


def test_stubs_declare_every_message_and_field():
    from phase5_mlops.systems_patterns import tabular_pb2

    stubs = GENERATED[1].read_text()
    for name, message in tabular_pb2.DESCRIPTOR.message_types_by_name.items():
        assert f"class {name}(_message.Message)" in stubs
        for field in message.fields:
            assert f"{field.name}:" in stubs, f"{name}.{field.name} missing from the .pyi"


def test_generator_output_matches_the_committed_module_here():
    # In this repository the generated files are excluded from formatting, so they match
    # protoc's text exactly (a `roadmap new` copy is reformatted; the descriptor test covers it).
    if "phase5_mlops" not in GENERATED[0].parts:
        pytest.skip("a copied-out project: generated code was reformatted")
    fresh = generate()
    for path in GENERATED:
        assert path.read_text() == fresh[path.name], f"{path.name} is stale: run protos.py"


def test_unary_equals_rest_on_penguins(rest, grpc_client, records):
    for record in records[::3]:  # every third row: all islands, both sexes and the null rows
        assert grpc_client.predict(record) == rest.post("/predict", json=record).json()


def test_batch_equals_rest_batch(rest, grpc_client, records):
    batch = records[:200]
    expected = rest.post("/predict/batch", json={"records": batch}).json()
    assert grpc_client.predict_batch(batch) == expected


def test_stream_equals_rest_one_record_at_a_time(rest, grpc_client, records):
    # The stream predicts each record alone (so it can stop when cancelled); one-row and
    # many-row predict_proba differ in the last bits, so its twin is REST's /predict.
    batch = records[:40]
    expected = [rest.post("/predict", json=r).json() for r in batch]
    assert list(stream_dicts(grpc_client.predict_stream(batch))) == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"island": "Atlantis"},
        {"bill_length_mm": 1e9},
        {"unknown_field": 1.0},
    ],
)
def test_rest_422_is_invalid_argument(rest, grpc_client, records, bad):
    record = {**records[0], **bad}
    assert rest.post("/predict", json=record).status_code == 422
    with pytest.raises(grpc.RpcError) as err:
        grpc_client.predict(record)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_nan_is_invalid_argument(grpc_client, records):
    # JSON cannot carry NaN (REST never sees one); a Struct can, and the contract refuses it.
    with pytest.raises(grpc.RpcError) as err:
        grpc_client.predict({**records[0], "bill_length_mm": float("nan")})
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_batch_bounds_are_invalid_argument(rest, grpc_client, records):
    too_many = records[:1] * 257
    assert rest.post("/predict/batch", json={"records": too_many}).status_code == 422
    for batch in ([], too_many):
        with pytest.raises(grpc.RpcError) as err:
            grpc_client.predict_batch(batch)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_no_model_is_unavailable(records):
    with serve(TabularServicer(None)) as target, pytest.raises(grpc.RpcError) as err:
        TabularClient(target).predict(records[0])
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE


def test_deadline_exceeded_on_slow_model(artifact, records):
    with (
        serve(TabularServicer(artifact, work_s=0.5)) as target,
        pytest.raises(grpc.RpcError) as err,
    ):
        TabularClient(target).predict(records[0], timeout=0.05)
    assert err.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_cancelled_stream_stops_predicting(artifact, records):
    servicer = TabularServicer(artifact, work_s=0.02)
    with serve(servicer) as target:
        call = TabularClient(target).predict_stream(records[:100])
        next(call)
        call.cancel()
        assert servicer.cancelled.wait(5)
        time.sleep(0.1)  # let a prediction in progress finish
        assert servicer.streamed < 10
    assert call.code() == grpc.StatusCode.CANCELLED
