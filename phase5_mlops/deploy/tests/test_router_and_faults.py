"""The router and the fault wrapper in-process (TestClient), and the split's exactness."""

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import generate_latest

from phase0_env.common.testing import free_port
from phase2_tabular.tabular_api.app import create_app as create_tabular_app
from phase5_mlops.deploy.faults import FaultSettings, create_app
from phase5_mlops.deploy.promtext import Snapshot, class_counts, success_rate
from phase5_mlops.deploy.router import RouterSettings, WeightedSplit, create_router_app

KEY = {"x-api-key": "k"}


@given(st.integers(0, 100), st.integers(0, 500))
def test_the_split_sends_exactly_w_of_any_100_consecutive_requests_to_green(weight, skip):
    split = WeightedSplit(weight)
    for _ in range(skip):
        split.pick()
    assert sum(split.pick() == "green" for _ in range(100)) == weight


def test_changing_the_weight_takes_effect_on_the_next_request():
    split = WeightedSplit(0)
    assert {split.pick() for _ in range(50)} == {"blue"}
    split.set(100)
    assert {split.pick() for _ in range(50)} == {"green"}


@pytest.fixture
def router():
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens: every proxied call fails
    app = create_router_app(
        RouterSettings(blue_url=dead, green_url=dead, api_keys=["k"], log_level="WARNING")
    )
    with TestClient(app) as client:
        yield client


def test_weights_need_the_api_key_and_a_percentage(router):
    assert router.put("/router/weights", json={"green": 10}).status_code == 401
    bad_key = router.put("/router/weights", json={"green": 10}, headers={"x-api-key": "no"})
    assert bad_key.status_code == 403
    too_big = router.put("/router/weights", json={"green": 150}, headers={"x-api-key": "k"})
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "green"
    ok = router.put("/router/weights", json={"green": 25}, headers={"x-api-key": "k"})
    assert ok.status_code == 200 and ok.json()["weights"] == {"blue": 75, "green": 25}
    assert router.get("/router/state", headers=KEY).json()["weights"]["green"] == 25


def test_an_unreachable_upstream_is_a_counted_502_not_a_crash(router):
    resp = router.post("/predict", json={})
    assert resp.status_code == 502 and resp.headers["x-upstream"] == "blue"
    assert resp.headers["content-type"].startswith("application/problem+json")
    snap = Snapshot.parse(generate_latest(router.app.state.metrics_registry).decode())
    rate, n = success_rate(snap, "router_upstream_requests_total", where=lambda _: True)
    assert (rate, n) == (0.0, 1)
    state = router.get("/router/state", headers=KEY).json()
    assert state["inflight"] == {"blue": 0, "green": 0} and state["served"]["blue"] == 1


@pytest.fixture
def model_env(versions, monkeypatch, tmp_path):
    monkeypatch.setenv("TABULAR_ARTIFACT_DIR", str(versions[0]))
    monkeypatch.setenv("TABULAR_PREDICTION_LOG", "")
    monkeypatch.setenv("TABULAR_LOG_LEVEL", "WARNING")


def _labels(app, records):
    with TestClient(app) as client:
        return [client.post("/predict", json=r).json()["label"] for r in records]


def test_every_nth_prediction_fails_and_the_service_metrics_count_it(model_env, records):
    app = create_app(FaultSettings(error_rate=0.25))
    with TestClient(app) as client:
        statuses = [client.post("/predict", json=r).status_code for r in records[:20]]
    assert statuses == [500 if (i + 1) % 4 == 0 else 200 for i in range(20)]
    snap = Snapshot.parse(generate_latest(app.state.metrics_registry).decode())
    assert success_rate(snap) == (0.75, 20)


def test_the_shift_collapses_predictions_onto_the_last_class(model_env, records):
    rows = records[::40]
    plain = _labels(create_tabular_app(), rows)
    shifted_app = create_app(FaultSettings(shift=True))
    shifted = _labels(shifted_app, rows)
    assert len(set(plain)) == 3 and set(shifted) == {"Gentoo"}
    snap = Snapshot.parse(generate_latest(shifted_app.state.metrics_registry).decode())
    assert sum(class_counts(snap).values()) == len(rows)


def test_latency_lands_in_the_service_histogram(model_env, records):
    app = create_app(FaultSettings(latency_ms=50))
    _labels(app, records[:4])
    snap = Snapshot.parse(generate_latest(app.state.metrics_registry).decode())
    total = sum(v for _, v in snap.select("http_request_duration_seconds_sum"))
    assert total >= 4 * 0.05  # each request slept at least the injected 50 ms


def test_no_faults_leaves_the_phase2_model_untouched(model_env):
    app = create_app()
    assert type(app.state.model_store.get().pipeline).__name__ == "Pipeline"


@pytest.mark.parametrize("bad", [{"error_rate": 1.5}, {"latency_ms": -1}])
def test_impossible_fault_settings_are_refused(model_env, bad):
    with pytest.raises(ValueError):
        create_app(FaultSettings(**bad))


def test_the_router_forwards_method_path_query_body_and_headers_unchanged():
    seen = []

    def upstream(role):
        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(
                (role, request.method, request.url.path, request.url.query, request.content)
            )
            return httpx.Response(201, json={"from": role}, headers={"x-model": role})

        return httpx.MockTransport(handler)

    app = create_router_app(
        RouterSettings(green_weight=50, log_level="WARNING"),
        transports={"blue": upstream("blue"), "green": upstream("green")},
    )
    with TestClient(app) as client:
        answers = [client.post("/predict/batch?x=1", content=b'{"a": 1}') for _ in range(4)]
    assert [a.status_code for a in answers] == [201] * 4
    assert [a.headers["x-upstream"] for a in answers] == ["blue", "green"] * 2
    assert [a.json()["from"] for a in answers] == [a.headers["x-model"] for a in answers]
    assert seen[0][1:] == ("POST", "/predict/batch", b"x=1", b'{"a": 1}')
