"""The phase 2 API configured with `models:/NAME@champion` serves the champion and follows it."""

import pytest
from fastapi.testclient import TestClient

from phase0_env.common.parity import assert_parity
from phase2_tabular.common.tables import load_table
from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.artifact import load_artifact
from phase5_mlops.registry.cli import main as cli_main
from phase5_mlops.registry.model_registry import TabularRegistry

KEY = {"X-API-Key": "k"}


@pytest.fixture
def records():
    df, spec = load_table("penguins")
    rows = df[spec.features].head(40).to_dict(orient="records")
    return [{k: (None if v != v else v) for k, v in row.items()} for row in rows]


def _probabilities(response) -> list[list[float]]:
    return [list(p["probabilities"].values()) for p in response.json()["predictions"]]


def test_api_serves_champion_follows_a_moved_alias_and_a_rollback(
    sqlite_store, model_name, artifacts, records, monkeypatch, tmp_path
):
    uri, root = sqlite_store
    reg = TabularRegistry(model_name, uri=uri, artifacts=root)
    v1 = reg.register(artifacts[0], reason="first")
    reg.promote(reason="first")
    # The real environment variables the service reads (settings.py: TABULAR_ prefix).
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("TABULAR_ARTIFACT_DIR", f"models:/{model_name}@champion")
    monkeypatch.setenv("TABULAR_PREDICTION_LOG", str(tmp_path / "predictions.jsonl"))
    monkeypatch.setenv("TABULAR_API_KEYS", '["k"]')
    first, second = (load_artifact(a) for a in artifacts)
    with TestClient(create_app()) as client:
        assert client.get("/readyz").status_code == 200
        card = client.get("/model").json()
        assert card["served_from"] == {
            "uri": f"models:/{model_name}@champion",
            "name": model_name,
            "version": v1,
            "alias": "champion",
        }
        assert card["model_sha256"] == first.card["model_sha256"]
        served = client.post("/predict/batch", json={"records": records})
        assert served.status_code == 200
        frame = load_table("penguins")[0].head(40)
        features = first.card["features"]
        assert_parity(
            _probabilities(served),
            first.pipeline.predict_proba(frame[features]),
            reference="phase2 artifact loaded directly",
            exact=True,
            name="API via models:/@champion",
        )

        v2 = reg.register(artifacts[1], reason="second")
        # Registering alone changes nothing that is served.
        assert client.post("/admin/reload", headers=KEY).json()["model_version"] == first.version
        reg.promote(reason="second is better")
        reloaded = client.post("/admin/reload", headers=KEY)
        assert reloaded.status_code == 200
        assert reloaded.json()["model_version"] == second.version
        assert client.get("/model").json()["served_from"]["version"] == v2
        assert _probabilities(client.post("/predict/batch", json={"records": records})) == (
            second.pipeline.predict_proba(frame[features]).tolist()
        )

        assert cli_main(["--tracking-uri", uri, "rollback", model_name, "--reason", "t"]) == 0
        assert client.post("/admin/reload", headers=KEY).json()["model_version"] == first.version
        assert client.get("/model").json()["served_from"]["version"] == v1


def test_unknown_alias_leaves_the_service_not_ready_and_reload_refuses(
    sqlite_store, model_name, artifacts, monkeypatch, tmp_path
):
    uri, root = sqlite_store
    reg = TabularRegistry(model_name, uri=uri, artifacts=root)
    reg.register(artifacts[0], reason="only a challenger")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("TABULAR_ARTIFACT_DIR", f"models:/{model_name}@champion")
    monkeypatch.setenv("TABULAR_PREDICTION_LOG", "")
    monkeypatch.setenv("TABULAR_API_KEYS", '["k"]')
    with TestClient(create_app()) as client:
        assert client.get("/readyz").status_code == 503
        refused = client.post("/admin/reload", headers=KEY)
        assert refused.status_code == 409 and "cannot resolve" in refused.json()["detail"]
        reg.promote(reason="now there is one")
        assert client.post("/admin/reload", headers=KEY).status_code == 200
        assert client.get("/readyz").status_code == 200


def test_cli_lists_versions_and_prints_history(sqlite_store, model_name, artifacts, capsys):
    uri, root = sqlite_store
    base = ["--tracking-uri", uri, "--artifact-root", str(root), "--actor", "cli-test"]
    assert cli_main([*base, "register", str(artifacts[0]), "--name", model_name]) == 0
    assert cli_main([*base, "promote", model_name, "--reason", "first"]) == 0
    assert cli_main([*base, "rollback", model_name]) == 1  # nothing to roll back to
    assert "no previous champion" in capsys.readouterr().err
    assert cli_main([*base, "list", model_name]) == 0
    assert "champion" in capsys.readouterr().out
    assert cli_main([*base, "history", model_name]) == 0
    out = capsys.readouterr().out
    assert "promote" in out and "cli-test: first" in out
    assert cli_main([*base, "check", model_name]) == 0
    assert cli_main([*base, "resolve", model_name]) == 0
    assert capsys.readouterr().out.split()[-1] == "1"
