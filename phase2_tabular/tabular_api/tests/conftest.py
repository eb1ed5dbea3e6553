"""Fixtures: one trained artifact per session, and in-process clients of the service."""

import shutil

import pytest
from fastapi.testclient import TestClient

from phase2_tabular.common.tables import load_table
from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase2_tabular.tabular_api.train import train


@pytest.fixture(scope="session")
def penguins():
    return load_table("penguins")


@pytest.fixture(scope="session")
def artifact(tmp_path_factory):
    """A logistic-regression artifact trained once (3-fold CV to keep the suite fast)."""
    return train(tmp_path_factory.mktemp("artifact") / "model", n_splits=3, seed=0)


@pytest.fixture
def artifact_copy(artifact, tmp_path):
    """A private copy a test may overwrite (hot reload) or corrupt."""
    dest = tmp_path / "model"
    shutil.copytree(artifact, dest)
    return dest


def _settings(artifact_dir, tmp_path, **extra):
    return TabularSettings(
        artifact_dir=str(artifact_dir),
        prediction_log=str(tmp_path / "predictions.jsonl"),
        log_level="WARNING",
        **extra,
    )


@pytest.fixture
def make_settings():
    """Settings for a test app: its artifact, a private prediction log, quiet logs."""
    return _settings


@pytest.fixture
def client(artifact, tmp_path):
    app = create_app(_settings(artifact, tmp_path, api_keys=["test-key"]))
    with TestClient(app) as c:
        yield c


@pytest.fixture
def records(penguins):
    """Real rows as JSON records (missing values as null)."""
    df, spec = penguins
    rows = df[spec.features].to_dict(orient="records")
    return [{k: (None if v != v else v) for k, v in row.items()} for row in rows]
