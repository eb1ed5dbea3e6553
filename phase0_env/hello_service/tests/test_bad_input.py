"""Bad input gets a 4xx problem+json answer, never a 500: 401/403/404/405/413/422/429."""

import pytest
from fastapi.testclient import TestClient

from phase0_env.hello_service.app import HelloSettings, create_app

KEY = {"x-api-key": "k1"}


@pytest.fixture
def client() -> TestClient:
    settings = HelloSettings(api_keys=["k1"], max_body_bytes=512)
    return TestClient(create_app(settings), raise_server_exceptions=False)


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    return body


@pytest.mark.parametrize("name", ["", "x" * 65, "y" * 1000])
def test_hello_name_outside_1_to_64_chars_is_422(client, name):
    body = _assert_problem(client.get("/hello", params={"name": name}), 422)
    assert body["errors"][0]["field"] == "query.name"


def test_unknown_path_is_404_and_wrong_method_is_405(client):
    _assert_problem(client.get("/does-not-exist"), 404)
    _assert_problem(client.put("/hello"), 405)
    _assert_problem(client.get("/echo"), 405)


def test_echo_without_a_key_is_401_with_www_authenticate(client):
    r = client.post("/echo", json={"message": "hi"})
    _assert_problem(r, 401)
    assert r.headers["www-authenticate"] == "ApiKey"


def test_echo_with_a_wrong_key_is_403(client):
    _assert_problem(client.post("/echo", json={"message": "hi"}, headers={"x-api-key": "k2"}), 403)


def test_echo_fails_closed_when_no_keys_are_configured():
    client = TestClient(create_app(HelloSettings()))
    _assert_problem(client.post("/echo", json={"message": "hi"}, headers=KEY), 403)


def test_echo_body_over_the_limit_is_413_before_auth(client):
    body = _assert_problem(client.post("/echo", json={"message": "x" * 600}), 413)
    assert "512 bytes" in body["detail"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"message": ""}, {"message": 3}, {"msg": "hi"}, ["hi"]],
    ids=["missing", "empty", "not-a-string", "wrong-field", "a-list"],
)
def test_echo_invalid_json_body_is_422(client, payload):
    _assert_problem(client.post("/echo", json=payload, headers=KEY), 422)


def test_echo_undecodable_body_is_400_not_500(client):
    r = client.post(
        "/echo", content=b"\xff\xfe{", headers={**KEY, "content-type": "application/json"}
    )
    _assert_problem(r, 400)


def test_slow_beyond_its_bound_is_422(client):
    _assert_problem(client.get("/slow", params={"ms": 2001}), 422)
    _assert_problem(client.get("/slow", params={"ms": -1}), 422)


def test_rate_limit_from_env_answers_429_with_retry_after(monkeypatch):
    monkeypatch.setenv("HELLO_RATE_LIMIT_PER_MINUTE", "3")
    client = TestClient(create_app())
    codes = [client.get("/hello").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = client.get("/hello")
    _assert_problem(r, 429)
    assert int(r.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # ops routes are never limited
