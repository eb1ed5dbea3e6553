"""Behaviour checks (no reference library): status codes and problem+json shapes, in-process."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import SecretStr

from phase0_env.common.parity import ParityResult, behaviour

API_KEY = "parity-key"
PROBLEM_KEYS = {"type", "title", "status"}


def checks() -> list[ParityResult]:
    """Each documented behaviour of the service, observed through FastAPI's TestClient."""
    from fastapi.testclient import TestClient
    from prometheus_client.parser import text_string_to_metric_families

    from phase0_env.hello_service.app import HelloSettings, create_app

    client = TestClient(
        create_app(HelloSettings(api_keys=[SecretStr(API_KEY)], max_body_bytes=1024))
    )
    key = {"x-api-key": API_KEY}
    results = [
        _status(
            "GET /hello greets by name",
            lambda: client.get("/hello?name=Ada"),
            200,
            lambda r: r.json() == {"message": "Hello, Ada!"},
        ),
        _problem(
            "GET /hello with a 65-char name is 422",
            lambda: client.get("/hello", params={"name": "x" * 65}),
            422,
        ),
        _problem("GET /hello with an empty name is 422", lambda: client.get("/hello?name="), 422),
        _problem("unknown path is 404", lambda: client.get("/nope"), 404),
        _problem("wrong method is 405", lambda: client.delete("/hello"), 405),
        _problem(
            "POST /echo without a key is 401",
            lambda: client.post("/echo", json={"message": "hi"}),
            401,
        ),
        _problem(
            "POST /echo with a wrong key is 403",
            lambda: client.post("/echo", json={"message": "hi"}, headers={"x-api-key": "nope"}),
            403,
        ),
        _status(
            "POST /echo with the key echoes",
            lambda: client.post("/echo", json={"message": "hi"}, headers=key),
            200,
            lambda r: r.json() == {"message": "hi", "length": 2},
        ),
        _problem(
            "POST /echo over max_body_bytes is 413",
            lambda: client.post("/echo", json={"message": "x" * 2000}, headers=key),
            413,
        ),
        _problem(
            "POST /echo with a non-JSON body is 422",
            lambda: client.post(
                "/echo", content=b"not json", headers={**key, "content-type": "application/json"}
            ),
            422,
        ),
        _status(
            "GET /healthz is ok",
            lambda: client.get("/healthz"),
            200,
            lambda r: r.json() == {"status": "ok"},
        ),
        _status(
            "GET /readyz is ready",
            lambda: client.get("/readyz"),
            200,
            lambda r: r.json() == {"status": "ready"},
        ),
    ]
    families = {f.name: f for f in text_string_to_metric_families(client.get("/metrics").text)}
    counted = sum(
        s.value
        for s in families["http_requests"].samples
        if s.name == "http_requests_total" and s.labels.get("route") == "/hello"
    )
    results.append(
        behaviour("metrics count every /hello request", counted == 4, f"counted {counted}, sent 4")
    )
    limited = TestClient(create_app(HelloSettings(rate_limit_per_minute=2)))
    codes = [limited.get("/hello").status_code for _ in range(3)]
    results.append(
        behaviour(
            "third request within the burst of 2 is 429", codes == [200, 200, 429], f"codes {codes}"
        )
    )
    results += _hostile_client_checks()
    return results


def _hostile_client_checks() -> list[ParityResult]:
    """Forged keys share the anonymous bucket; made-up methods add no metric label sets."""
    from fastapi.testclient import TestClient

    from phase0_env.common.testing import metric_sample
    from phase0_env.hello_service.app import HelloSettings, create_app

    client = TestClient(
        create_app(HelloSettings(api_keys=[SecretStr(API_KEY)], rate_limit_per_minute=3))
    )
    codes = [client.get("/hello", headers={"x-api-key": f"fake-{i}"}).status_code for i in range(6)]
    unlimited = TestClient(create_app(HelloSettings()))
    for i in range(50):
        unlimited.request(f"MADEUP{i}", "/hello")
    text = unlimited.get("/metrics").text
    other = metric_sample(
        text, "http_requests_total", {"route": "/hello", "method": "OTHER", "status": "405"}
    )
    return [
        behaviour(
            "a fresh fake key per request is limited (3/min: 3 x 200, then 429)",
            codes == [200] * 3 + [429] * 3,
            f"codes {codes}",
        ),
        behaviour(
            "50 made-up methods are counted under one label value, OTHER",
            other == 50 and "MADEUP" not in text,
            f"OTHER counted {other}",
        ),
    ]


def _status(name: str, call: Callable, status: int, body_ok: Callable) -> ParityResult:
    response = call()
    passed = response.status_code == status and body_ok(response)
    return behaviour(name, passed, f"status {response.status_code}: {response.text[:200]}")


def _problem(name: str, call: Callable, status: int) -> ParityResult:
    """The response has `status` and is RFC 9457 problem+json with matching `status`."""
    response = call()
    is_problem = response.headers.get("content-type", "").startswith("application/problem+json")
    body = response.json() if is_problem else {}
    passed = (
        response.status_code == status and set(body) >= PROBLEM_KEYS and body["status"] == status
    )
    return behaviour(name, passed, f"status {response.status_code}: {response.text[:200]}")
