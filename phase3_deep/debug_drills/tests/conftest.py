import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread():
    # 2 shared cores: one intra-op thread keeps runs fast and results stable.
    torch.set_num_threads(1)
