"""Fixtures: a phase 2 artifact, a real redis-server, and one local Ray cluster per module."""

import shutil

import pytest

from phase2_tabular.tabular_api.train import train


@pytest.fixture(scope="session")
def artifact(tmp_path_factory):
    """A logistic-regression artifact of the phase 2 API (3-fold CV keeps it quick)."""
    return train(tmp_path_factory.mktemp("artifact") / "model", n_splits=3, seed=0)


@pytest.fixture(scope="session")
def redis_url():
    """`redis://...` of a throw-away redis-server (the security milestone's starter)."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    from phase5_mlops.security.redis_server import redis_server

    with redis_server() as url:
        yield url
