"""The hello service in-process: its routes, the kit's ops routes and settings from the env."""

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from phase0_env.hello_service.app import HelloSettings, create_app


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(HelloSettings(api_keys=["k1"])))


def _hello_count(client: TestClient, status: str = "200") -> float:
    families = {f.name: f for f in text_string_to_metric_families(client.get("/metrics").text)}
    return sum(
        s.value
        for s in families["http_requests"].samples
        if s.name == "http_requests_total"
        and s.labels == {"route": "/hello", "method": "GET", "status": status}
    )


def test_hello_greets_the_given_name_and_defaults_to_world(client):
    assert client.get("/hello", params={"name": "Ada"}).json() == {"message": "Hello, Ada!"}
    assert client.get("/hello").json() == {"message": "Hello, world!"}
    assert client.get("/hello", params={"name": "x" * 64}).status_code == 200


def test_echo_returns_the_message_and_its_length_with_a_valid_key(client):
    r = client.post("/echo", json={"message": "héllo"}, headers={"x-api-key": "k1"})
    assert r.status_code == 200 and r.json() == {"message": "héllo", "length": 5}


def test_health_and_readiness_answer_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_metrics_counter_increments_after_a_request(client):
    before = _hello_count(client)
    client.get("/hello", params={"name": "Ada"})
    client.get("/hello", params={"name": "Bob"})
    assert _hello_count(client) == before + 2
    client.get("/hello", params={"name": ""})
    assert _hello_count(client, "422") == 1


def test_metrics_is_prometheus_text_with_latency_histogram(client):
    client.get("/hello")
    r = client.get("/metrics")
    assert r.headers["content-type"].startswith("text/plain")
    families = {f.name: f.type for f in text_string_to_metric_families(r.text)}
    assert families["http_requests"] == "counter"
    assert families["http_request_duration_seconds"] == "histogram"


def test_every_response_carries_a_request_id(client):
    assert (
        client.get("/hello", headers={"x-request-id": "rid-1"}).headers["x-request-id"] == "rid-1"
    )
    assert client.get("/nope").headers["x-request-id"]


def test_settings_come_from_hello_prefixed_environment(monkeypatch):
    monkeypatch.setenv("HELLO_GREETING", "Hi")
    monkeypatch.setenv("HELLO_API_KEYS", '["from-env"]')
    client = TestClient(create_app())
    assert client.get("/hello", params={"name": "Ada"}).json() == {"message": "Hi, Ada!"}
    r = client.post("/echo", json={"message": "x"}, headers={"x-api-key": "from-env"})
    assert r.status_code == 200


def test_each_app_owns_its_metrics(client):
    client.get("/hello")
    fresh = TestClient(create_app(HelloSettings()))
    assert _hello_count(fresh) == 0


def test_openapi_documents_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/hello", "/echo", "/healthz", "/readyz", "/metrics"} <= set(paths)


def test_openapi_declares_the_problem_json_errors_of_each_route(client):
    spec = client.get("/openapi.json").json()
    echo = spec["paths"]["/echo"]["post"]["responses"]
    hello = spec["paths"]["/hello"]["get"]["responses"]
    problem = {"$ref": "#/components/schemas/Problem"}
    for code in ("400", "401", "403", "413", "422", "500"):
        assert echo[code]["content"]["application/problem+json"]["schema"] == problem, code
    assert {"400", "422", "500"} <= set(hello) and "401" not in hello
    assert "HTTPValidationError" not in str(echo["422"])
