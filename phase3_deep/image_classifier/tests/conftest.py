import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def data_root(tmp_path_factory):
    """Both datasets written once per session into a tmp folder (~10 s)."""
    from phase3_deep.image_classifier.build_dataset import build_digits, build_photos

    root = tmp_path_factory.mktemp("images")
    return build_digits(root), build_photos(root)


@pytest.fixture(scope="session")
def mlflow_uri(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('mlflow') / 'mlflow.db'}"
