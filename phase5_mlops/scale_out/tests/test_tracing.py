"""A request through the router to the phase 2 API is one trace: router SERVER > CLIENT > model."""

import random

import httpx
import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase5_mlops.monitoring.traffic import penguin_requests
from phase5_mlops.scale_out.tracing import (
    RouterSettings,
    create_router_app,
    instrument,
    tracer_provider,
)


@pytest.fixture
def traced(artifact):
    """(router client, span exporter): both apps export to one in-memory exporter."""
    exporter = InMemorySpanExporter()
    provider = tracer_provider(exporter)
    settings = TabularSettings(artifact_dir=str(artifact), prediction_log="", log_level="WARNING")
    model = instrument(create_app(settings), provider, "tabular_api")
    with TestClient(model) as backend:
        router = create_router_app(
            RouterSettings(log_level="WARNING"), tracer_provider=provider, client=backend
        )
        with TestClient(router) as client:
            yield client, exporter


def _by_name(exporter):
    return {s.name: s for s in exporter.get_finished_spans()}


def test_router_and_model_spans_share_the_trace_and_are_parent_and_child(traced):
    client, exporter = traced
    answer = client.post("/predict", json=penguin_requests(1, seed=0)[0])
    assert answer.status_code == 200 and answer.json()["label"] in {"Adelie", "Chinstrap", "Gentoo"}
    spans = _by_name(exporter)
    router, call, model = (
        spans["router POST /predict"],
        spans["POST /predict"],
        spans["tabular_api POST /predict"],
    )
    assert (router.kind, call.kind, model.kind) == (
        SpanKind.SERVER,
        SpanKind.CLIENT,
        SpanKind.SERVER,
    )
    assert router.context.trace_id == call.context.trace_id == model.context.trace_id
    assert router.parent is None
    assert call.parent.span_id == router.context.span_id
    assert model.parent.span_id == call.context.span_id and model.parent.is_remote
    assert model.attributes["http.response.status_code"] == 200


def test_an_incoming_traceparent_is_continued_by_both_services(traced):
    client, exporter = traced
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    answer = client.post(
        "/predict",
        json=penguin_requests(1, seed=1)[0],
        headers={"traceparent": f"00-{trace_id}-{parent_id}-01"},
    )
    assert answer.status_code == 200
    spans = _by_name(exporter)
    assert {format(s.context.trace_id, "032x") for s in spans.values()} == {trace_id}
    assert format(spans["router POST /predict"].parent.span_id, "016x") == parent_id


def test_the_models_4xx_passes_through_the_router_inside_the_trace(traced):
    client, exporter = traced
    answer = client.post("/predict", json={"island": "Atlantis"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert (
        _by_name(exporter)["tabular_api POST /predict"].attributes["http.response.status_code"]
        == 422
    )


def test_an_unreachable_model_service_is_a_502_not_a_crash():
    provider = tracer_provider()
    dead = httpx.Client(base_url="http://127.0.0.1:9", timeout=0.5)
    router = create_router_app(
        RouterSettings(log_level="WARNING"), tracer_provider=provider, client=dead
    )
    with TestClient(router) as client:
        answer = client.post("/predict", json={"bill_length_mm": 40.0})
    assert answer.status_code == 502 and "unreachable" in answer.json()["detail"]


def test_trace_ids_do_not_repeat_after_the_random_module_is_reseeded():
    ids = []
    for _ in range(2):
        random.seed(0)  # what seed_everything(0) does before every training run
        exporter = InMemorySpanExporter()
        with tracer_provider(exporter).get_tracer("t").start_as_current_span("s"):
            pass
        ids.append(exporter.get_finished_spans()[0].context.trace_id)
    assert ids[0] != ids[1]
