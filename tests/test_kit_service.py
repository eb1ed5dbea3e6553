"""The service kit: ops routes, problem+json errors, limits, API keys, request ids."""

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import BaseModel

from phase0_env.common.ratelimit import TokenBucketLimiter
from phase0_env.common.service import ServiceSettings, api_key_dependency, create_service_app


class Item(BaseModel):
    name: str
    qty: int


def _app(ready=True, **overrides):
    settings = ServiceSettings(service_name="kit-test", **overrides)
    app = create_service_app(settings, title="kit test", ready=lambda: ready)
    guard = api_key_dependency(settings)

    @app.post("/items", dependencies=[Depends(guard)])
    def create(item: Item) -> dict:
        return {"ok": item.name}

    @app.get("/boom")
    def boom() -> dict:
        raise RuntimeError("bug")

    return app


def test_health_ready_and_metrics():
    client = TestClient(_app())
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    text = client.get("/metrics").text
    families = {f.name for f in text_string_to_metric_families(text)}
    assert {"http_requests", "http_request_duration_seconds"} <= families
    assert 'route="/healthz"' in text


def test_not_ready_is_503_problem_json():
    r = TestClient(_app(ready=False)).get("/readyz")
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"


def test_request_id_is_echoed_or_created():
    client = TestClient(_app())
    assert client.get("/healthz", headers={"x-request-id": "abc"}).headers["x-request-id"] == "abc"
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


def test_errors_are_problem_json():
    client = TestClient(_app(api_keys=["k1"]), raise_server_exceptions=False)
    r = client.get("/nope")
    assert r.status_code == 404 and r.json()["title"] == "Not Found"
    assert client.delete("/healthz").status_code == 405
    r = client.post("/items", json={"name": "a", "qty": "many"}, headers={"x-api-key": "k1"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "qty"
    r = client.get("/boom")
    assert r.status_code == 500 and "bug" not in r.text


def test_api_key_guard_401_403_and_fail_closed():
    client = TestClient(_app(api_keys=["secret"]))
    body = {"name": "a", "qty": 1}
    assert client.post("/items", json=body).status_code == 401
    assert client.post("/items", json=body, headers={"x-api-key": "wrong"}).status_code == 403
    assert client.post("/items", json=body, headers={"x-api-key": "secret"}).status_code == 200
    no_keys = TestClient(_app())
    assert no_keys.post("/items", json=body, headers={"x-api-key": ""}).status_code == 401
    assert no_keys.post("/items", json=body, headers={"x-api-key": "x"}).status_code == 403


def test_body_size_limit_is_413():
    client = TestClient(_app(api_keys=["k"], max_body_bytes=100))
    r = client.post("/items", json={"name": "x" * 500, "qty": 1}, headers={"x-api-key": "k"})
    assert r.status_code == 413 and "100 bytes" in r.json()["detail"]


def test_rate_limit_answers_429_with_retry_after():
    client = TestClient(_app(rate_limit_per_minute=3))
    codes = [client.get("/nope").status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3] == 429
    r = client.get("/nope")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # ops routes are never limited


def test_token_bucket_refills_with_time():
    now = [0.0]
    limiter = TokenBucketLimiter(rate=1.0, burst=2, clock=lambda: now[0])
    assert limiter.acquire("a") == 0.0 and limiter.acquire("a") == 0.0
    assert limiter.acquire("a") == pytest.approx(1.0)
    assert limiter.acquire("b") == 0.0  # buckets are per key
    now[0] = 1.0
    assert limiter.acquire("a") == 0.0


def test_chunked_body_without_content_length_is_counted_and_refused():
    client = TestClient(_app(api_keys=["k"], max_body_bytes=100))

    def chunks():
        yield b'{"name": "'
        yield b"x" * 500
        yield b'", "qty": 1}'

    r = client.post(
        "/items", content=chunks(), headers={"x-api-key": "k", "content-type": "application/json"}
    )
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    small = client.post(
        "/items",
        content=iter([b'{"name": "a", ', b'"qty": 1}']),
        headers={"x-api-key": "k", "content-type": "application/json"},
    )
    assert small.status_code == 200


def test_problem_titles_use_the_standard_reason_phrase():
    r = TestClient(_app(api_keys=["k"])).post(
        "/items",
        content=b"{not json",
        headers={"x-api-key": "k", "content-type": "application/json"},
    )
    assert r.status_code == 422  # FastAPI reports undecodable JSON as a validation error
    assert TestClient(_app()).get("/nope").json()["title"] == "Not Found"


def test_token_bucket_forgets_refilled_keys_so_memory_stays_bounded():
    now = [0.0]
    limiter = TokenBucketLimiter(rate=1.0, burst=2, clock=lambda: now[0], max_keys=3)
    for key in "abc":
        limiter.acquire(key)
    limiter.acquire("c")  # c is empty now; a and b hold 1 token each
    now[0] = 1.0  # a and b have refilled to 2 (full); c has 1
    limiter.acquire("d")
    assert set(limiter._buckets) == {"c", "d"}
    # c was kept: it is still limited exactly as before.
    assert limiter.acquire("c") == 0.0 and limiter.acquire("c") == pytest.approx(1.0)
