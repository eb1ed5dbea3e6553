"""Bad input gets a 4xx naming the field, never a 5xx."""

import pytest
from fastapi.testclient import TestClient

from phase2_tabular.tabular_api.app import create_app


def _fields(resp):
    return [e["field"] for e in resp.json()["errors"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bill_length_mm": "long"}, "bill_length_mm"),
        ({"bill_length_mm": 500.0}, "bill_length_mm"),
        ({"body_mass_g": -1}, "body_mass_g"),
        ({"island": "Atlantis"}, "island"),
        ({"sex": "unknown"}, "sex"),
        ({"beak_colour": "red"}, "beak_colour"),
        ({"island": None}, "island"),
    ],
)
def test_invalid_field_gets_422_naming_it(client, records, change, field):
    resp = client.post("/predict", json={**records[0], **change})
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert _fields(resp) == [field]
    assert field in resp.json()["detail"]


def test_missing_required_field_is_named(client, records):
    rec = {k: v for k, v in records[0].items() if k != "island"}
    resp = client.post("/predict", json=rec)
    assert resp.status_code == 422 and _fields(resp) == ["island"]


def test_nan_and_infinity_are_refused(client, records):
    for token in ("NaN", "Infinity"):
        body = '{"island": "Dream", "bill_depth_mm": ' + token + "}"
        resp = client.post("/predict", content=body, headers={"content-type": "application/json"})
        assert resp.status_code == 422 and _fields(resp) == ["bill_depth_mm"]


def test_batch_errors_name_the_record_and_field(client, records):
    resp = client.post("/predict/batch", json={"records": [records[0], {"island": "Mars"}]})
    assert resp.status_code == 422 and _fields(resp) == ["records.1.island"]


def test_batch_over_the_documented_limit_is_refused(make_settings, artifact, tmp_path, records):
    app = create_app(make_settings(artifact, tmp_path, max_batch=10))
    with TestClient(app) as c:
        assert c.post("/predict/batch", json={"records": records[:10]}).status_code == 200
        resp = c.post("/predict/batch", json={"records": records[:11]})
        assert resp.status_code == 422 and _fields(resp) == ["records"]
        assert c.post("/predict/batch", json={"records": []}).status_code == 422


def test_malformed_json_is_a_422_not_a_crash(client):
    resp = client.post(
        "/predict", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert resp.status_code == 422


def test_oversized_body_is_a_413(make_settings, artifact, tmp_path):
    app = create_app(make_settings(artifact, tmp_path, max_body_bytes=1000))
    with TestClient(app) as c:
        resp = c.post("/predict", content=b"x" * 5000, headers={"content-type": "application/json"})
        assert resp.status_code == 413
