"""Settings of the tabular API, read from `TABULAR_*` environment variables."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from phase0_env.common.service import ServiceSettings
from phase2_tabular.common.tables import REPO_ROOT

DEFAULT_ARTIFACT_DIR = REPO_ROOT / "artifacts" / "phase2_tabular"


class TabularSettings(ServiceSettings):
    """Where the model artifact and prediction log live, and the service's limits."""

    model_config = SettingsConfigDict(env_prefix="TABULAR_", extra="ignore")

    service_name: str = "tabular_api"
    table: str = "penguins"  # the data contract requests are validated against
    # A folder, or a registry reference such as `models:/penguins@champion` (phase 5's
    # MLflow registry; /admin/reload then re-resolves the alias).
    artifact_dir: str = str(DEFAULT_ARTIFACT_DIR / "model")
    prediction_log: str = str(DEFAULT_ARTIFACT_DIR / "predictions.jsonl")  # "" disables it
    max_batch: int = 256  # records per POST /predict/batch
    drift_window: int = 1000  # recent predictions the drift summary looks at
    max_body_bytes: int = 512_000
