import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread():
    # 2 shared cores: one intra-op thread keeps runs fast and results stable.
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def digits():
    from phase3_deep.training.example_task import digits_splits

    return digits_splits(0)


@pytest.fixture(scope="session")
def mlflow_uri(tmp_path_factory):
    """One tmp sqlite store for the session: creating its tables costs seconds each time."""
    return f"sqlite:///{tmp_path_factory.mktemp('mlflow') / 'mlflow.db'}"
