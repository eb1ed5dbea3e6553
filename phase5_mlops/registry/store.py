"""Where the registry lives: the tracking/registry URI and the artifact root.

Defaults follow the repository rule: `MLFLOW_TRACKING_URI`, else
`sqlite:///<repo>/.cache/mlflow.db`, with artifacts under `<repo>/.cache/mlflow-artifacts`
(`MLFLOW_ARTIFACT_ROOT` overrides). A `postgresql://` URI works the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

from phase0_env.common.paths import default_tracking_uri
from phase2_tabular.common.tables import REPO_ROOT

EXPERIMENT = "phase5_mlops.registry"


def tracking_uri(uri: str | None = None) -> str:
    """The given URI, else `MLFLOW_TRACKING_URI`, else the repository's sqlite store."""
    return uri or default_tracking_uri()


def artifact_root(root: Path | str | None = None) -> Path:
    """Where model files are stored: the given folder, `MLFLOW_ARTIFACT_ROOT`, or `.cache/`."""
    if root is not None:
        return Path(root)
    env = os.environ.get("MLFLOW_ARTIFACT_ROOT")
    return Path(env) if env else REPO_ROOT / ".cache" / "mlflow-artifacts"


def ensure_experiment(client, root: Path) -> str:  # type: ignore[no-untyped-def]
    """The id of the registry's experiment, created with its artifact root on first use."""
    found = client.get_experiment_by_name(EXPERIMENT)
    if found is not None:
        return str(found.experiment_id)
    root.mkdir(parents=True, exist_ok=True)
    return str(client.create_experiment(EXPERIMENT, artifact_location=root.resolve().as_uri()))
