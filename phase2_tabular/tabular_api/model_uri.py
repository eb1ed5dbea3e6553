"""Loading a model registered in MLflow: `models:/NAME@ALIAS` or `models:/NAME/VERSION`.

Phase 5 registers this milestone's artifact folder inside each model version. Here the
alias (or version) is resolved, the version's files are downloaded into a temporary folder,
the folder holding `model_card.json` is loaded with the usual checks of `load_artifact`,
and the download is deleted (the pipeline lives in memory from then on). mlflow is imported
only here, so serving a plain folder never needs it. The store is `MLFLOW_TRACKING_URI`
(else `sqlite:///<repo>/.cache/mlflow.db`), as everywhere in the repository.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from phase0_env.common.paths import default_tracking_uri
from phase2_tabular.common.tables import TableSpec
from phase2_tabular.tabular_api.artifact import (
    CARD_FILE,
    Artifact,
    ArtifactError,
    load_artifact,
)

SCHEME = "models:/"


def is_registry_uri(path: Path | str) -> bool:
    """True for `models:/...` references (a `Path` keeps the text, so both forms work)."""
    return str(path).startswith(SCHEME)


def parse_registry_uri(uri: str) -> tuple[str, str | None, str | None]:
    """`models:/penguins@champion` -> ("penguins", "champion", None); `/3` gives the version."""
    if not is_registry_uri(uri):
        raise ArtifactError(f"{uri!r} is not a models:/ reference")
    rest = uri[len(SCHEME) :].strip("/")
    if "@" in rest:
        name, _, alias = rest.partition("@")
        if name and alias and "/" not in alias:
            return name, alias, None
    elif rest.count("/") == 1:
        name, _, version = rest.partition("/")
        if name and version.isdigit():
            return name, None, version
    raise ArtifactError(f"{uri!r}: expected models:/NAME@ALIAS or models:/NAME/VERSION")


def load_registered(uri: str, spec: TableSpec | None = None) -> Artifact:
    """Resolve, download and load a registered version; ArtifactError on any failure."""
    name, alias, _ = parse_registry_uri(uri)
    with registered_folder(uri) as (folder, version):
        artifact = load_artifact(folder, spec)
    served_from: dict[str, Any] = {"uri": uri, "name": name, "version": version}
    if alias:
        served_from["alias"] = alias
    # The card shown by GET /model says which registry version is serving.
    card = {**artifact.card, "served_from": served_from}
    return Artifact(artifact.pipeline, card, Path(uri))


@contextmanager
def registered_folder(uri: str) -> Iterator[tuple[Path, str]]:
    """A registered version's artifact folder, downloaded for the block; and its version."""
    name, alias, version = parse_registry_uri(uri)
    try:
        import mlflow.artifacts
        from mlflow import MlflowClient
        from mlflow.exceptions import MlflowException
    except ImportError as err:  # pragma: no cover - mlflow is installed with phase 5
        raise ArtifactError(f"{uri}: mlflow is needed to load registered models") from err
    with tempfile.TemporaryDirectory(prefix="tabular-registry-") as tmp:
        try:
            # Both URIs explicitly: the registry URI would otherwise fall back to mlflow's
            # process-wide setting, which another store's client may have changed.
            store = default_tracking_uri()
            client = MlflowClient(tracking_uri=store, registry_uri=store)
            mv = (
                client.get_model_version_by_alias(name, alias)
                if alias
                else client.get_model_version(name, str(version))
            )
            source = client.get_model_version_download_uri(name, mv.version)
            local = Path(mlflow.artifacts.download_artifacts(artifact_uri=source, dst_path=tmp))
        except MlflowException as err:
            raise ArtifactError(f"cannot resolve {uri}: {err.message}") from err
        yield _artifact_folder(local, uri), str(mv.version)


def _artifact_folder(root: Path, uri: str) -> Path:
    """The one folder under a downloaded version that holds a model card."""
    found = sorted({p.parent for p in root.rglob(CARD_FILE)})
    if len(found) != 1:
        raise ArtifactError(f"{uri}: expected one {CARD_FILE} in the version, found {len(found)}")
    return found[0]
