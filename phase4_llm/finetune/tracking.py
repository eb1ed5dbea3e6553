"""Where MLflow runs go by default: a SQLite store under the repository's `.cache/`."""

from __future__ import annotations

import os

from phase0_env.common.paths import project_root


def default_tracking_uri() -> str:
    """`MLFLOW_TRACKING_URI` if set, else `sqlite:///<repo>/.cache/mlflow.db`."""
    if os.environ.get("MLFLOW_TRACKING_URI"):
        return os.environ["MLFLOW_TRACKING_URI"]
    cache = project_root(__file__) / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{cache / 'mlflow.db'}"
