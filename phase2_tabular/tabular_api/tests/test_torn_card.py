"""A torn or empty `model_card.json` (a copy still being written): 409 on reload with the old
model serving, not-ready (never a crash) at start-up; in-process and as a real process."""

import shutil

import httpx
import pytest
from fastapi.testclient import TestClient

from phase0_env.common.testing import run_uvicorn
from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.artifact import CARD_FILE, ArtifactError, load_artifact

KEY = {"x-api-key": "k"}


# The ways a card is found broken: empty, cut mid-write, valid JSON but not a card, bad bytes.
BROKEN = ["empty", "half-written", "a-list", "null", "no-version", "not-utf8"]


def _break(folder, how: str) -> str:
    """Overwrite the folder's card the `how` way; return the good card's text."""
    card = folder / CARD_FILE
    good = card.read_text()
    broken = {
        "empty": b"",
        "half-written": good.encode()[: len(good) // 2],
        "a-list": b"[]",
        "null": b"null",
        "no-version": b"{}",
        "not-utf8": b'{"model_version": "\xff"}',
    }[how]
    card.write_bytes(broken)
    return good


@pytest.mark.parametrize("how", BROKEN)
def test_loading_a_torn_card_is_an_artifact_error(artifact_copy, how):
    _break(artifact_copy, how)
    with pytest.raises(ArtifactError, match=CARD_FILE):
        load_artifact(artifact_copy)


@pytest.mark.parametrize("how", BROKEN)
def test_a_torn_card_on_reload_is_409_and_the_old_model_keeps_serving(
    make_settings, artifact_copy, tmp_path, records, how
):
    app = create_app(make_settings(artifact_copy, tmp_path, api_keys=["k"]))
    with TestClient(app) as c:
        before = c.post("/predict", json=records[0]).json()["model_version"]
        _break(artifact_copy, how)
        resp = c.post("/admin/reload", headers=KEY)
        assert resp.status_code == 409, resp.text
        assert resp.headers["content-type"] == "application/problem+json"
        assert CARD_FILE in resp.json()["detail"]
        assert c.post("/predict", json=records[0]).json()["model_version"] == before


@pytest.mark.parametrize("how", ["empty", "half-written"])
def test_a_torn_card_at_start_up_is_not_ready_then_a_fixed_one_reloads(
    make_settings, artifact_copy, tmp_path, records, how
):
    good = _break(artifact_copy, how)
    with TestClient(create_app(make_settings(artifact_copy, tmp_path, api_keys=["k"]))) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").status_code == 503
        resp = c.post("/predict", json=records[0])
        assert resp.status_code == 503 and CARD_FILE in resp.json()["detail"]
        (artifact_copy / CARD_FILE).write_text(good)
        assert c.post("/admin/reload", headers=KEY).status_code == 200
        assert c.get("/readyz").status_code == 200
        assert c.post("/predict", json=records[0]).status_code == 200


@pytest.mark.service
def test_a_real_server_survives_a_torn_card_at_start_up_and_on_reload(artifact, tmp_path, records):
    folder = tmp_path / "model"
    shutil.copytree(artifact, folder)
    good = _break(folder, "empty")
    env = {
        "TABULAR_ARTIFACT_DIR": str(folder),
        "TABULAR_PREDICTION_LOG": "",
        "TABULAR_API_KEYS": '["k"]',
        "UVICORN_ACCESS_LOG": "false",
    }
    with (
        run_uvicorn(
            "phase2_tabular.tabular_api.app:create_app",
            env=env,
            ready_path="/healthz",
            log_dir=str(tmp_path),
        ) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        assert http.get("/readyz").status_code == 503
        assert "no model loaded" in server.logs() and CARD_FILE in server.logs()
        (folder / CARD_FILE).write_text(good)
        assert http.post("/admin/reload", headers=KEY).status_code == 200
        assert http.post("/predict", json=records[0]).status_code == 200
        (folder / CARD_FILE).write_text(good[: len(good) // 2])
        assert http.post("/admin/reload", headers=KEY).status_code == 409
        assert http.post("/predict", json=records[0]).status_code == 200
        assert server.process.poll() is None
