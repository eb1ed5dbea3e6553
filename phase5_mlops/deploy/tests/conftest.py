"""Fixtures: the two model versions (trained once per session) and real records."""

import pytest

from phase5_mlops.deploy.fleet import train_versions
from phase5_mlops.deploy.loadgen import penguin_records


@pytest.fixture(scope="session")
def versions(tmp_path_factory):
    """(blue, green) artifact folders: logistic regression, green on a 90 % resample."""
    return train_versions(tmp_path_factory.mktemp("versions"))


@pytest.fixture(scope="session")
def records():
    return penguin_records()
