"""The phase 2 tabular API with injectable faults, for exercising the rollout's gates.

`create_app()` builds phase 2's `create_app` unchanged and wraps the served model in a
`FaultyModel` configured by `DEPLOY_FAULT_*` variables: every n-th prediction fails with a
500, or each prediction sleeps, or 60 % of the probability mass moves onto the last class,
so predictions collapse onto it (as they do when a model's inputs lose their scaling).
The faults live inside the route, so the service's own `/metrics` (`http_requests_total`,
latency histogram, predicted classes) record them as a real regression would be recorded.
A hot reload installs an unwrapped model.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic_settings import BaseSettings, SettingsConfigDict

from phase2_tabular.tabular_api.app import create_app as create_tabular_app


class FaultSettings(BaseSettings):
    """Which faults to inject; all off by default."""

    model_config = SettingsConfigDict(env_prefix="DEPLOY_FAULT_", extra="ignore")

    error_rate: float = 0.0  # share of predictions answered 500 (every round(1/rate)-th)
    latency_ms: float = 0.0  # added to every prediction
    shift: bool = False  # move 60 % of each row's probability mass onto the last class


class FaultyModel:
    """A fitted classifier wrapper that injects the configured faults into predict_proba."""

    def __init__(self, model: Any, faults: FaultSettings) -> None:
        self.model = model
        self.faults = faults
        self.classes_ = model.classes_
        self._calls = itertools.count(1)
        self._lock = threading.Lock()  # predictions run in the threadpool
        self._every = round(1 / faults.error_rate) if faults.error_rate > 0 else 0

    def predict_proba(self, frame: Any) -> np.ndarray:
        with self._lock:
            call = next(self._calls)
        if self.faults.latency_ms > 0:
            time.sleep(self.faults.latency_ms / 1e3)
        if self._every and call % self._every == 0:
            raise HTTPException(500, "injected fault")
        proba = self.model.predict_proba(frame)
        if self.faults.shift:
            proba = 0.4 * proba  # the last class then holds >= 0.6: it always wins
            proba[:, -1] += 0.6
        return proba

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)


def create_app(faults: FaultSettings | None = None) -> FastAPI:
    """Phase 2's tabular API (settings from `TABULAR_*`) with faults from `DEPLOY_FAULT_*`."""
    faults = faults or FaultSettings()
    if not 0 <= faults.error_rate <= 1 or faults.latency_ms < 0:
        raise ValueError(f"error_rate must be in [0, 1] and latency_ms >= 0, got {faults}")
    app = create_tabular_app()
    store = app.state.model_store
    if store.ready and (faults.error_rate or faults.latency_ms or faults.shift):
        artifact = store.get()
        artifact.pipeline = FaultyModel(artifact.pipeline, faults)
    app.state.faults = faults
    return app
