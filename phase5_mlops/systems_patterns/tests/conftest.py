"""Fixtures: a phase 2 artifact and the example penguin records."""

import pytest

from phase2_tabular.tabular_api.train import train


@pytest.fixture(scope="session")
def artifact(tmp_path_factory):
    """A logistic-regression artifact of the phase 2 API (3-fold CV keeps it quick)."""
    return train(tmp_path_factory.mktemp("artifact") / "model", n_splits=3, seed=0)


@pytest.fixture(scope="session")
def records():
    """Real penguins rows as REST records (nulls kept as None)."""
    from phase5_mlops.systems_patterns.loadtest import penguin_records

    return penguin_records()
