"""Where MLflow runs go by default: a SQLite store under the repository's `.cache/`."""

from __future__ import annotations

import os
from pathlib import Path


def default_tracking_uri() -> str:
    """`MLFLOW_TRACKING_URI` if set, else `sqlite:///<repo>/.cache/mlflow.db`."""
    if os.environ.get("MLFLOW_TRACKING_URI"):
        return os.environ["MLFLOW_TRACKING_URI"]
    cache = Path(__file__).resolve().parents[2] / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{cache / 'mlflow.db'}"
