"""The MLflow pyfunc flavour of a phase 2 artifact (logged as *model from code*).

MLflow copies this file into every version and runs it when the version is loaded with
`mlflow.pyfunc.load_model`; the phase 2 artifact folder rides along as the version's
`tabular_artifact` and is loaded with phase 2's own checks (hash, schema, library versions).
"""

from __future__ import annotations

from typing import Any

import mlflow.models
import mlflow.pyfunc
import numpy as np
import pandas as pd

ARTIFACT_KEY = "tabular_artifact"


def predict_frame(pipeline: Any, frame: pd.DataFrame) -> pd.DataFrame:
    """The label and one probability column per class, as the registry's signature states."""
    proba = pipeline.predict_proba(frame)
    classes = [str(c) for c in pipeline.classes_]
    out = pd.DataFrame(proba, columns=[f"proba_{c}" for c in classes], index=frame.index)
    out.insert(0, "label", np.asarray(classes, dtype=object)[proba.argmax(axis=1)])
    return out


class TabularPyfunc(mlflow.pyfunc.PythonModel):
    """Serves a phase 2 pipeline through MLflow's generic `predict`."""

    def load_context(self, context: Any) -> None:
        from phase2_tabular.tabular_api.artifact import load_artifact

        self.artifact = load_artifact(context.artifacts[ARTIFACT_KEY])

    # No type hints on predict: MLflow would read them as a (conflicting) input schema;
    # the logged signature is the contract.
    def predict(self, context, model_input, params=None):  # type: ignore[no-untyped-def]
        features = self.artifact.card["features"]
        return predict_frame(self.artifact.pipeline, pd.DataFrame(model_input)[features])


mlflow.models.set_model(TabularPyfunc())
