"""The drift monitor as a service Prometheus scrapes: `create_app(settings)`.

Run it with `uvicorn --factory phase5_mlops.monitoring.service:create_app`; settings come
from `MONITOR_*` variables. Routes: `GET /drift` (the current window's verdict as JSON),
`GET /drift/report` (the HTML report), plus the kit's `/healthz`, `/readyz` and `/metrics`,
where the drift gauges are computed at scrape time from the phase 2 API's prediction log.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse
from pydantic_settings import SettingsConfigDict

from phase0_env.common.service import ServiceSettings, create_service_app
from phase2_tabular.tabular_api.settings import DEFAULT_ARTIFACT_DIR
from phase5_mlops.monitoring.live import DriftCollector, LogMonitor, training_reference

log = logging.getLogger("roadmap.monitor")
TOO_FEW: dict[int | str, dict[str, Any]] = {404: {"description": "too few logged predictions"}}


class MonitorSettings(ServiceSettings):
    """Which prediction log to watch, the artifact whose training data is the reference."""

    model_config = SettingsConfigDict(env_prefix="MONITOR_", extra="ignore")

    service_name: str = "drift_monitor"
    prediction_log: str = str(DEFAULT_ARTIFACT_DIR / "predictions.jsonl")
    artifact_dir: str = str(DEFAULT_ARTIFACT_DIR / "model")
    window: int = 500  # most recent predictions compared with the training data
    min_rows: int = 30  # below this a window is noise: no verdict, no gauges


def create_app(settings: MonitorSettings | None = None) -> FastAPI:
    """The drift monitor; without `settings` they are read from the environment."""
    settings = settings or MonitorSettings()
    state: dict[str, LogMonitor] = {}
    try:
        reference = training_reference(settings.artifact_dir)
        state["monitor"] = LogMonitor(
            settings.prediction_log, reference, settings.window, settings.min_rows
        )
    except (OSError, KeyError, ValueError) as err:  # not ready until an artifact exists
        log.warning("no training reference at %s: %s", settings.artifact_dir, err)
    app = create_service_app(
        settings,
        title="drift_monitor",
        description="Drift of the tabular API's logged inputs against its training data.",
        ready=lambda: "monitor" in state,
    )
    if "monitor" in state:
        app.state.metrics_registry.register(DriftCollector(state["monitor"]))

    def monitor() -> LogMonitor:
        if "monitor" not in state:
            raise HTTPException(503, f"no training reference at {settings.artifact_dir}")
        return state["monitor"]

    @app.get("/drift", tags=["monitoring"], responses=TOO_FEW, summary="The window's verdict")
    def drift() -> dict[str, Any]:
        verdict = monitor().check()
        if verdict is None:
            raise HTTPException(404, f"fewer than {settings.min_rows} logged predictions")
        return verdict.to_dict()

    @app.get(
        "/drift/report",
        tags=["monitoring"],
        responses=TOO_FEW,
        response_class=HTMLResponse,
        summary="The window's HTML report with one plot per column",
    )
    def report() -> HTMLResponse:
        with tempfile.TemporaryDirectory() as tmp:
            path = monitor().write_report(Path(tmp) / "report.html")
            if path is None:
                raise HTTPException(404, f"fewer than {settings.min_rows} logged predictions")
            return HTMLResponse(path.read_text())

    return app
