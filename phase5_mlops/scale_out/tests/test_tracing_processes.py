"""Across two real uvicorn processes the W3C traceparent links the router's and model's spans."""

import json

import httpx
import pytest

from phase0_env.common.testing import run_uvicorn
from phase5_mlops.monitoring.traffic import penguin_requests


@pytest.mark.service
@pytest.mark.timeout(120)
def test_the_trace_crosses_the_network_from_router_process_to_model_process(artifact, tmp_path):
    model_spans, router_spans = tmp_path / "model.jsonl", tmp_path / "router.jsonl"
    model_env = {
        "TABULAR_ARTIFACT_DIR": str(artifact),
        "TABULAR_PREDICTION_LOG": "",
        "TABULAR_LOG_LEVEL": "WARNING",
        "TRACE_FILE": str(model_spans),
    }
    with run_uvicorn(
        "phase5_mlops.scale_out.tracing:create_traced_tabular_app",
        env=model_env,
        log_dir=str(tmp_path),
    ) as model:
        router_env = {
            "ROUTER_BACKEND_URL": model.url,
            "ROUTER_LOG_LEVEL": "WARNING",
            "TRACE_FILE": str(router_spans),
        }
        with run_uvicorn(
            "phase5_mlops.scale_out.tracing:create_router_app",
            env=router_env,
            log_dir=str(tmp_path),
        ) as router:
            answer = httpx.post(router.url + "/predict", json=penguin_requests(1)[0], timeout=30)
            assert answer.status_code == 200, answer.text
    spans = {
        s["name"]: s
        for path in (model_spans, router_spans)
        for s in map(json.loads, path.read_text().splitlines())
    }
    server, call, model_span = (
        spans["router POST /predict"],
        spans["POST /predict"],
        spans["tabular_api POST /predict"],
    )
    assert server["trace_id"] == call["trace_id"] == model_span["trace_id"]
    assert model_span["parent_id"] == call["span_id"] and call["parent_id"] == server["span_id"]
    assert model_span["attributes"]["http.response.status_code"] == 200
