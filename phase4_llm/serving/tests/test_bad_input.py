"""Bad input gets a 4xx problem+json that names the field; never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

KEY = {"Authorization": "Bearer k1"}
OK = {"model": "tiny-gpt", "prompt": "hello", "max_tokens": 4}


@pytest.fixture
def client(make_app):
    return TestClient(make_app(api_keys=["k1"], max_tokens_limit=64))


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"prompt": ""}, 422, "prompt"),
        ({"max_tokens": 0}, 422, "max_tokens"),
        ({"max_tokens": -3}, 422, "max_tokens"),
        ({"max_tokens": 65}, 400, "max_tokens"),
        ({"model": "gpt-4"}, 404, "model"),
        ({"prompt": "x" * 256}, 400, "prompt"),
        ({"prompt": "x" * 250, "max_tokens": 10}, 400, "max_tokens"),
        ({"temperature": 3}, 422, "temperature"),
        ({"top_p": 0}, 422, "top_p"),
        ({"n": 2}, 422, "n"),
        ({"stop": [""]}, 400, "stop"),
        ({"prompt": 5}, 422, "prompt"),
    ],
)
def test_bad_completion_fields_are_named(client, change, status, field):
    r = client.post("/v1/completions", json=OK | change, headers=KEY)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in r.json()["detail"]


def test_missing_and_wrong_keys_get_401(client):
    assert client.post("/v1/completions", json=OK).status_code == 401
    wrong = client.post("/v1/completions", json=OK, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "not accepted" in wrong.json()["detail"]


def test_chat_without_messages_or_with_unknown_role_is_422(client):
    r = client.post("/v1/chat/completions", json={"model": "tiny-gpt", "messages": []}, headers=KEY)
    assert r.status_code == 422 and "messages" in r.json()["detail"]
    bad_role = {"model": "tiny-gpt", "messages": [{"role": "robot", "content": "hi"}]}
    r = client.post("/v1/chat/completions", json=bad_role, headers=KEY)
    assert r.status_code == 422 and "messages" in r.json()["detail"]


def test_malformed_json_is_422_not_500(client):
    r = client.post(
        "/v1/completions",
        content=b"{not json",
        headers=KEY | {"content-type": "application/json"},
    )
    assert r.status_code == 422
