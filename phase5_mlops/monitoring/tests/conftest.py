"""Fixtures: one small phase 2 artifact per session, and a helper that sends API traffic."""

import pytest

from phase2_tabular.tabular_api.train import train


@pytest.fixture(scope="session")
def artifact(tmp_path_factory):
    """A logistic-regression artifact of the phase 2 API (3-fold CV keeps it quick)."""
    return train(tmp_path_factory.mktemp("artifact") / "model", n_splits=3, seed=0)


def send(client, records, batch=100):
    """POST `records` to /predict/batch in batches the API accepts; every answer must be 200."""
    for start in range(0, len(records), batch):
        response = client.post("/predict/batch", json={"records": records[start : start + batch]})
        assert response.status_code == 200, response.text


@pytest.fixture
def send_traffic():
    return send
