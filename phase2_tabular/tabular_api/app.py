"""The tabular API: `create_app(settings)` builds it on the phase 0 service kit.

Run it with `uvicorn --factory phase2_tabular.tabular_api.app:create_app`; settings come
from `TABULAR_*` variables (see settings.py). Routes: `POST /predict`, `POST /predict/batch`,
`GET /model`, `GET /monitoring/drift`, `POST /admin/reload` (API key), plus the kit's
`/healthz`, `/readyz` and `/metrics`.

No `from __future__ import annotations` here: FastAPI must see the generated request
models as real classes in the route signatures, not as strings it cannot resolve.
"""

from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from fastapi import Depends, FastAPI, HTTPException
from prometheus_client import Counter, Gauge

from phase0_env.common.jsonlog import request_id_var
from phase0_env.common.service import api_key_dependency, create_service_app
from phase2_tabular.common.tables import TABLES, TableSpec
from phase2_tabular.tabular_api.artifact import Artifact, ArtifactError
from phase2_tabular.tabular_api.model_store import ModelStore
from phase2_tabular.tabular_api.monitoring import PredictionLog, drift_summary
from phase2_tabular.tabular_api.schemas import (
    BatchPrediction,
    Prediction,
    batch_model,
    example_record,
    record_model,
)
from phase2_tabular.tabular_api.settings import TabularSettings

NOT_READY: dict[int | str, dict[str, Any]] = {503: {"description": "no model loaded"}}


def create_app(settings: TabularSettings | None = None) -> FastAPI:
    """The tabular prediction service; without `settings` they are read from the environment."""
    settings = settings or TabularSettings()
    spec = TABLES[settings.table]
    store = ModelStore(settings.artifact_dir, spec)
    store.load_initial()
    app = create_service_app(
        settings,
        title="tabular_api",
        description=f"Predicts `{spec.target}` of the {spec.name} table "
        f"(contract v{spec.schema_version}); batches up to {settings.max_batch} records.",
        ready=lambda: store.ready,
    )
    app.state.model_store = store
    plog = PredictionLog(settings.prediction_log or None, settings.drift_window)
    app.state.prediction_log = plog
    observe = _install_metrics(app, spec, plog)
    Record = record_model(spec)
    Batch = batch_model(Record, settings.max_batch)
    Record.model_config["json_schema_extra"] = {"examples": [example_record(spec)]}
    Record.model_rebuild(force=True)

    def predict_records(records: list[dict[str, Any]]) -> tuple[list[Prediction], Artifact]:
        try:
            artifact = store.get()  # this request keeps this model even if a reload lands
        except LookupError as err:
            raise HTTPException(503, f"no model loaded: {err}") from err
        frame = to_frame(records, spec)
        proba = artifact.pipeline.predict_proba(frame)
        classes = [str(c) for c in artifact.pipeline.classes_]
        best = proba.argmax(axis=1)
        labels = [classes[i] for i in best]
        preds = [
            Prediction(
                label=label,
                probabilities={c: float(p) for c, p in zip(classes, row, strict=True)},
                model_version=artifact.version,
            )
            for label, row in zip(labels, proba, strict=True)
        ]
        confidence = [float(proba[i, j]) for i, j in enumerate(best)]
        plog.write(
            records,
            labels,
            confidence,
            model_version=artifact.version,
            request_id=request_id_var.get(None),
        )
        observe(labels)
        return preds, artifact

    @app.post(
        "/predict",
        response_model=Prediction,
        tags=["model"],
        responses=NOT_READY,
        summary="Predict one record",
    )
    def predict(record: Record) -> Prediction:  # type: ignore[valid-type]
        preds, _ = predict_records([record.model_dump()])  # type: ignore[attr-defined]
        return preds[0]

    @app.post(
        "/predict/batch",
        response_model=BatchPrediction,
        tags=["model"],
        responses=NOT_READY,
        summary=f"Predict up to {settings.max_batch} records",
    )
    def predict_batch(batch: Batch) -> BatchPrediction:  # type: ignore[valid-type]
        records = [r.model_dump() for r in batch.records]  # type: ignore[attr-defined]
        preds, artifact = predict_records(records)
        return BatchPrediction(predictions=preds, model_version=artifact.version)

    @app.get("/model", tags=["model"], responses=NOT_READY, summary="The model card")
    def model_card() -> dict[str, Any]:
        try:
            return store.get().card
        except LookupError as err:
            raise HTTPException(503, f"no model loaded: {err}") from err

    @app.get(
        "/monitoring/drift",
        tags=["monitoring"],
        responses=NOT_READY,
        summary="PSI of recent inputs against the training reference",
    )
    def drift() -> dict[str, Any]:
        try:
            card = store.get().card
        except LookupError as err:
            raise HTTPException(503, f"no model loaded: {err}") from err
        return drift_summary(card["reference_profile"], plog.window())

    guard = api_key_dependency(settings)

    @app.post(
        "/admin/reload",
        tags=["admin"],
        dependencies=[Depends(guard)],
        responses={
            401: {"description": "no key"},
            403: {"description": "bad key"},
            409: {"description": "artifact refused; old model still serving"},
        },
        summary="Load the artifact at the configured path again (hot reload)",
    )
    def reload() -> dict[str, Any]:
        try:
            artifact = store.reload()
        except ArtifactError as err:
            raise HTTPException(409, str(err)) from err
        return {"model_version": artifact.version, "reloads": store.reloads}

    return app


def to_frame(records: list[dict[str, Any]], spec: TableSpec) -> pd.DataFrame:
    """Records as the DataFrame the pipeline was trained on (nulls become NaN)."""
    data: dict[str, np.ndarray] = {}
    for col in spec.features:
        values = [np.nan if r.get(col) is None else r[col] for r in records]
        # Column arrays built directly: per-column astype on a frame costs ms per request.
        data[col] = np.array(values, dtype=np.float64 if col in spec.numeric else object)
    return pd.DataFrame(data, columns=spec.features)


def _install_metrics(app: FastAPI, spec: TableSpec, plog: PredictionLog):  # type: ignore[no-untyped-def]
    """Prediction-class counts and input-feature gauges on the app's registry."""
    registry = app.state.metrics_registry
    classes = Counter(
        "tabular_predictions_total", "Predictions by predicted class", ["label"], registry=registry
    )
    mean = Gauge(
        "tabular_input_feature_mean",
        "Mean of a numeric feature over the drift window",
        ["feature"],
        registry=registry,
    )
    missing = Gauge(
        "tabular_input_feature_missing_ratio",
        "Share of null values of a feature over the drift window",
        ["feature"],
        registry=registry,
    )

    def window_mean(col: str) -> float:
        values = [r.get(col) for r in plog.window()]
        present = [v for v in values if v is not None]
        return float(np.mean(present)) if present else float("nan")

    def window_missing(col: str) -> float:
        values = [r.get(col) for r in plog.window()]
        return sum(v is None for v in values) / len(values) if values else 0.0

    # Computed when /metrics is scraped, so a prediction pays nothing for them.
    for col in spec.numeric:
        mean.labels(col).set_function(partial(window_mean, col))
    for col in spec.features:
        missing.labels(col).set_function(partial(window_missing, col))

    def observe(labels: list[str]) -> None:
        for label in labels:
            classes.labels(label).inc()

    return observe
