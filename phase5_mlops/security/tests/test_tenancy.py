"""Items belong to the key's principal: a key sees and deletes only its own; admin sees all."""

import pytest
from fastapi.testclient import TestClient

from phase5_mlops.security.apikeys import KeyStore, issue_key
from phase5_mlops.security.app import SecuritySettings, create_app


@pytest.fixture
def clients():
    alice, a_rec = issue_key(("read", "write"), owner="alice")
    bob, b_rec = issue_key(("read", "write"))  # no owner: its key id is the principal
    root, r_rec = issue_key(("admin",), owner="ops")
    store = KeyStore([a_rec, b_rec, r_rec]).to_json()
    client = TestClient(create_app(SecuritySettings(keys_json=store, key_burst=100)))
    heads = {n: {"x-api-key": k} for n, k in (("alice", alice), ("bob", bob), ("root", root))}
    return client, heads, b_rec.key_id


def _texts(client, headers):
    return sorted(i["text"] for i in client.get("/items", headers=headers).json())


def test_each_key_sees_only_its_own_items_and_admin_sees_all(clients):
    client, h, bob_id = clients
    assert client.post("/items", json={"text": "alice note"}, headers=h["alice"]).status_code == 201
    assert client.post("/items", json={"text": "bob note"}, headers=h["bob"]).status_code == 201
    assert _texts(client, h["alice"]) == ["alice note"]
    assert _texts(client, h["bob"]) == ["bob note"]
    everyone = client.get("/items", headers=h["root"]).json()
    assert sorted((i["owner"], i["text"]) for i in everyone) == sorted(
        [("alice", "alice note"), (bob_id, "bob note")]
    )


def test_a_key_cannot_delete_another_keys_item_but_admin_can(clients):
    client, h, _ = clients
    item = client.post("/items", json={"text": "alice note"}, headers=h["alice"]).json()["id"]
    assert client.delete(f"/items/{item}", headers=h["bob"]).status_code == 404
    client.delete("/items", headers=h["bob"])  # bob's "clear" clears bob's items only
    assert _texts(client, h["alice"]) == ["alice note"]
    assert client.delete(f"/items/{item}", headers=h["root"]).status_code == 204
    assert _texts(client, h["alice"]) == []


def test_admin_clear_removes_every_principals_items(clients):
    client, h, _ = clients
    for who in ("alice", "bob"):
        client.post("/items", json={"text": f"{who} note"}, headers=h[who])
    client.delete("/items", headers=h["alice"])
    assert _texts(client, h["alice"]) == [] and _texts(client, h["bob"]) == ["bob note"]
    assert client.delete("/items", headers=h["root"]).status_code == 204
    assert client.get("/items", headers=h["root"]).json() == []
