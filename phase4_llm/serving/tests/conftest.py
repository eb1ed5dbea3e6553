"""Shared fixtures: the seeded tiny GPT, engines and apps built on it."""

from __future__ import annotations

import pytest
import torch

from phase4_llm.serving.models import ServedModel, tiny_gpt
from phase4_llm.serving.service import ServingSettings, create_app
from phase4_llm.serving.text import ByteTokenizer


@pytest.fixture(autouse=True)
def one_torch_thread():
    """One intra-op thread: on a shared 2-core machine, spinning OpenMP workers make these
    tiny forward passes ~20x slower; restored afterwards for other milestones' tests."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny():
    return tiny_gpt(seed=0)


@pytest.fixture
def make_app(tiny):
    """Build a served tiny-GPT app from settings overrides; engines are stopped afterwards."""
    apps = []

    def build(**overrides):
        base = dict(model="tiny-gpt", max_model_len=256, kv_cache_budget_mb=4, log_level="WARNING")
        base.update(overrides)
        settings = ServingSettings(**base)
        served = ServedModel("tiny-gpt", tiny, ByteTokenizer(), settings.max_model_len)
        app = create_app(settings, served)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.state.engine.stop()
