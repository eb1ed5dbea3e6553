"""The service in-process: predictions, model card, metrics, drift summary, hot reload."""

import json

import numpy as np
from fastapi.testclient import TestClient

from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.artifact import MODEL_FILE, load_artifact
from phase2_tabular.tabular_api.monitoring import read_prediction_log
from phase2_tabular.tabular_api.train import train


def test_predict_returns_the_pipelines_class_and_probabilities(client, artifact, records, penguins):
    df, spec = penguins
    resp = client.post("/predict", json=records[0])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    direct = load_artifact(artifact).pipeline.predict_proba(df[spec.features].head(1))[0]
    assert body["label"] == "Adelie"
    np.testing.assert_array_equal([body["probabilities"][c] for c in spec.classes], direct)
    assert sum(body["probabilities"].values()) == np.float64(direct.sum())


def test_batch_predictions_keep_the_order_of_the_records(client, records, penguins):
    df, spec = penguins
    resp = client.post("/predict/batch", json={"records": records[:200]})
    assert resp.status_code == 200
    labels = [p["label"] for p in resp.json()["predictions"]]
    assert np.mean(np.array(labels) == df[spec.target].to_numpy()[:200]) > 0.97


def test_missing_optional_features_are_imputed_not_refused(client):
    resp = client.post("/predict", json={"island": "Biscoe"})
    assert resp.status_code == 200 and resp.json()["label"] in {"Adelie", "Chinstrap", "Gentoo"}


def test_model_card_is_served(client, artifact):
    card = client.get("/model").json()
    assert card == json.loads((artifact / "model_card.json").read_text())


def test_ops_routes_and_prediction_metrics(client, records):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    for rec in records[:5]:
        client.post("/predict", json=rec)
    text = client.get("/metrics").text
    assert 'tabular_predictions_total{label="Adelie"} 5.0' in text
    assert 'tabular_input_feature_mean{feature="bill_length_mm"}' in text
    assert 'tabular_input_feature_missing_ratio{feature="sex"}' in text
    assert 'http_requests_total{method="POST",route="/predict",status="200"} 5.0' in text
    assert 'http_request_duration_seconds_bucket{le="0.1",method="POST",route="/predict"}' in text


def test_every_prediction_is_logged_as_a_json_line(make_settings, artifact, tmp_path, records):
    with TestClient(create_app(make_settings(artifact, tmp_path))) as c:
        c.post("/predict/batch", json={"records": records[:3]})
        c.post("/predict", json=records[3], headers={"x-request-id": "req-42"})
    logged = read_prediction_log(tmp_path / "predictions.jsonl")
    assert len(logged) == 4
    assert logged[3]["request_id"] == "req-42"
    assert logged[0]["features"] == records[0]
    assert {"ts", "model_version", "prediction", "confidence"} <= set(logged[0])


def test_drift_summary_flags_a_shifted_feature_only(client, records):
    assert client.get("/monitoring/drift").json()["window"] == 0
    client.post("/predict/batch", json={"records": records[:200]})
    calm = client.get("/monitoring/drift").json()
    assert calm["window"] == 200 and "body_mass_g" not in calm["drifted"]
    heavy = [{**r, "body_mass_g": 6800.0} for r in records[:200]]
    client.post("/predict/batch", json={"records": heavy})
    shifted = client.get("/monitoring/drift").json()
    assert "body_mass_g" in shifted["drifted"]
    assert shifted["features"]["body_mass_g"]["psi"] > calm["features"]["body_mass_g"]["psi"]


def test_too_small_a_window_is_not_called_drift(client, records):
    client.post("/predict", json={**records[0], "body_mass_g": 6900.0})
    summary = client.get("/monitoring/drift").json()
    assert summary["drifted"] == []
    assert summary["features"]["body_mass_g"]["status"] == "too_few"


def test_reload_needs_the_api_key(client):
    assert client.post("/admin/reload").status_code == 401
    assert client.post("/admin/reload", headers={"x-api-key": "nope"}).status_code == 403


def test_hot_reload_swaps_in_a_new_model(make_settings, artifact_copy, tmp_path, records):
    app = create_app(make_settings(artifact_copy, tmp_path, api_keys=["k"]))
    with TestClient(app) as c:
        before = c.post("/predict", json=records[0]).json()["model_version"]
        train(artifact_copy, family="random_forest", n_splits=3)
        resp = c.post("/admin/reload", headers={"x-api-key": "k"})
        assert resp.status_code == 200
        after = c.post("/predict", json=records[0]).json()["model_version"]
        assert after == resp.json()["model_version"] != before
        assert c.get("/model").json()["family"] == "random_forest"


def test_a_refused_reload_keeps_the_old_model_serving(
    make_settings, artifact_copy, tmp_path, records
):
    app = create_app(make_settings(artifact_copy, tmp_path, api_keys=["k"]))
    with TestClient(app) as c:
        before = c.post("/predict", json=records[0]).json()["model_version"]
        (artifact_copy / MODEL_FILE).write_bytes(b"half-written")
        resp = c.post("/admin/reload", headers={"x-api-key": "k"})
        assert resp.status_code == 409 and "sha256" in resp.json()["detail"]
        assert c.post("/predict", json=records[0]).json()["model_version"] == before


def test_an_in_flight_request_keeps_the_model_it_started_with(artifact_copy, tmp_path):
    from phase2_tabular.common.tables import PENGUINS
    from phase2_tabular.tabular_api.model_store import ModelStore

    store = ModelStore(artifact_copy, PENGUINS)
    store.load_initial()
    held = store.get()  # what a request takes at its start
    train(artifact_copy, family="random_forest", n_splits=3)
    store.reload()
    assert store.get() is not held and store.get().card["family"] == "random_forest"
    assert held.card["family"] == "logistic_regression"
    assert held.pipeline.predict_proba  # the old object is intact and usable


def test_without_an_artifact_the_service_is_alive_but_not_ready(make_settings, tmp_path, records):
    with TestClient(create_app(make_settings(tmp_path / "none", tmp_path))) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").status_code == 503
        resp = c.post("/predict", json=records[0])
        assert resp.status_code == 503 and "not a model artifact" in resp.json()["detail"]
