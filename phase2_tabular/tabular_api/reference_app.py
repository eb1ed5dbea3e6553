"""The benchmark's reference: a bare FastAPI + scikit-learn endpoint, without the service kit.

Same artifact, same pipeline, plain pydantic bodies: no middleware, metrics, request ids,
JSON access logs, prediction log or contract bounds. The gap to the real service is the
price of those. Run: `uvicorn --factory phase2_tabular.tabular_api.reference_app:create_bare_app`
with `TABULAR_ARTIFACT_DIR` set.
"""

import os
from typing import Any

import joblib
import pandas as pd
from fastapi import FastAPI

from phase2_tabular.tabular_api.artifact import MODEL_FILE
from phase2_tabular.tabular_api.settings import TabularSettings


def create_bare_app() -> FastAPI:
    """`POST /predict` (one dict) and `POST /predict/batch` (`{"records": [...]}`), nothing else."""
    folder = os.environ.get("TABULAR_ARTIFACT_DIR", TabularSettings().artifact_dir)
    pipeline = joblib.load(os.path.join(folder, MODEL_FILE))
    app = FastAPI()
    classes = [str(c) for c in pipeline.classes_]

    def run(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        proba = pipeline.predict_proba(pd.DataFrame.from_records(records))
        return [
            {
                "label": classes[row.argmax()],
                "probabilities": dict(zip(classes, row.tolist(), strict=True)),
            }
            for row in proba
        ]

    @app.post("/predict")
    def predict(record: dict[str, Any]) -> dict[str, Any]:
        return run([record])[0]

    @app.post("/predict/batch")
    def predict_batch(body: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        return {"predictions": run(body["records"])}

    @app.get("/readyz")
    def readyz() -> dict[str, str]:
        return {"status": "ready"}

    return app
