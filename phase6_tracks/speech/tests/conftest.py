"""Shared fixtures: one torch thread, and a tiny seeded recogniser (untrained) on disk."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def one_torch_thread():
    """One intra-op thread: tiny models on a shared machine are slower with more."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny_model():
    from phase6_tracks.speech.model import CTCRecognizer, ModelConfig

    torch.manual_seed(0)
    return CTCRecognizer(ModelConfig(hidden=32, gru_layers=1)).eval()


@pytest.fixture(scope="session")
def tiny_model_path(tiny_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("speech") / "tiny.pt"
    torch.save(tiny_model.to_dict(), path)
    return path
