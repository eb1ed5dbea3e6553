"""A registry with a bootstrapped champion, built once; each loop test runs on its own copy."""

import shutil

import pytest

from phase5_mlops.closed_loop.live_stages import LiveStages, LoopConfig

WINDOW = 200  # live requests the monitor judges (the demo's quick size)


@pytest.fixture(scope="session")
def bootstrapped(tmp_path_factory):
    """(folder, champion version) of a sqlite registry whose champion passed the nightly run."""
    base = tmp_path_factory.mktemp("bootstrapped")
    config = LoopConfig(tracking_uri=f"sqlite:///{base / 'mlflow.db'}", workdir=str(base))
    with LiveStages(config) as stages:
        boot = stages.bootstrap()
    assert boot["version"] == "1", boot
    return base, boot["version"]


@pytest.fixture
def loop_config(bootstrapped, tmp_path):
    """A loop configuration on a private copy of the bootstrapped registry."""
    base, _ = bootstrapped
    shutil.copy(base / "mlflow.db", tmp_path / "mlflow.db")
    return LoopConfig(
        tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
        workdir=str(tmp_path / "work"),
        window=WINDOW,
        n_splits=2,
    )
