"""Hashed keys: verification, scopes, and the store holds no secret."""

import pytest
from fastapi.testclient import TestClient

from phase5_mlops.security.apikeys import KeyStore, issue_key
from phase5_mlops.security.app import SecuritySettings, create_app


def test_issued_key_verifies_and_store_json_holds_no_secret():
    key, record = issue_key(("read", "write"), owner="ci")
    store = KeyStore.from_json(KeyStore([record]).to_json())
    assert store.verify(key) == record
    secret = key.split("_", 2)[2]
    assert secret not in store.to_json()


@pytest.mark.parametrize("bad", ["", "rk_", "rk_x_y", "sk_abc_def", "rk_{id}_wrong"])
def test_forged_keys_are_rejected(bad):
    _, record = issue_key(("read",))
    assert KeyStore([record]).verify(bad.replace("{id}", record.key_id)) is None


def test_admin_implies_every_scope_and_unknown_scopes_are_refused():
    _, record = issue_key(("admin",))
    assert all(record.allows(s) for s in ("read", "write", "admin"))
    with pytest.raises(ValueError, match="subset"):
        issue_key(("root",))
    with pytest.raises(ValueError, match="subset"):
        issue_key(())


@pytest.fixture
def keys_and_client():
    keys = {scope: issue_key((scope,)) for scope in ("read", "write", "admin")}
    settings = SecuritySettings(
        keys_json=KeyStore([r for _, r in keys.values()]).to_json(), key_burst=100
    )
    return {s: k for s, (k, _) in keys.items()}, TestClient(create_app(settings))


@pytest.mark.parametrize(
    "method,path,needs",
    [
        ("GET", "/items", "read"),
        ("POST", "/items", "write"),
        ("DELETE", "/items", "write"),
        ("POST", "/redact", "read"),
        ("POST", "/screen", "read"),
    ],
)
def test_401_without_key_403_without_scope(keys_and_client, method, path, needs):
    keys, client = keys_and_client
    body = {"json": {"text": "hello"}} if method == "POST" else {}
    assert client.request(method, path, **body).status_code == 401
    for scope, key in keys.items():
        code = client.request(method, path, headers={"x-api-key": key}, **body).status_code
        allowed = scope == "admin" or scope == needs
        assert (code < 300) == allowed, (scope, code)
        if not allowed:
            assert code == 403


def test_settings_take_keys_from_the_environment(monkeypatch):
    key, record = issue_key(("read",))
    monkeypatch.setenv("ROADMAP_SECURITY_KEYS_JSON", KeyStore([record]).to_json())
    client = TestClient(create_app())
    assert client.get("/items", headers={"x-api-key": key}).status_code == 200
