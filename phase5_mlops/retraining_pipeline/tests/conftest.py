"""Fixtures: a sqlite registry store with a bootstrapped champion, and a way to ask the
phase 2 API (loading `models:/NAME@champion`) what it serves."""

import uuid

import pytest
from fastapi.testclient import TestClient

from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase5_mlops.retraining_pipeline.pipeline import RetrainConfig, run_nightly


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    """(tracking URI, artifact root, runs folder) of one sqlite store for the session."""
    root = tmp_path_factory.mktemp("retraining")
    return f"sqlite:///{root / 'mlflow.db'}", str(root / "artifacts"), str(root / "runs")


@pytest.fixture(scope="module")
def bootstrapped(store):
    """A registered model whose champion came from a clean first night (day 0)."""
    uri, artifacts, runs = store
    base = {
        "name": f"penguins_{uuid.uuid4().hex[:8]}",
        "tracking_uri": uri,
        "artifact_root": artifacts,
        "runs_dir": runs,
    }
    report = run_nightly(RetrainConfig(day=0, **base))
    assert report.outcome == "promoted", report.to_dict()
    return base


@pytest.fixture
def serving(store, monkeypatch, tmp_path):
    """A started phase 2 app on `models:/NAME@champion`; call it with a name to get its
    client (reload it to see what the registry says now)."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store[0])
    clients = []

    def start(name: str) -> TestClient:
        settings = TabularSettings(
            artifact_dir=f"models:/{name}@champion",
            prediction_log="",
            api_keys=["k"],
            log_level="WARNING",
        )
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.__exit__(None, None, None)
