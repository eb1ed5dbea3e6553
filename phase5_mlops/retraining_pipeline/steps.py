"""The pipeline's steps as plain functions: the Prefect flow wraps them as tasks, and the
plain runner calls them directly, so both run exactly the same code."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from phase2_tabular.common.tables import TableSpec
from phase5_mlops.registry.model_registry import RegistryError, TabularRegistry
from phase5_mlops.retraining_pipeline.batches import daily_batch


def ingest(
    out_dir: Path, day: int, drift: float, label_noise: float, corrupt_rows: int, seed: int
) -> pd.DataFrame:
    """Fetch the day's batch and keep a copy of it with the run (parquet)."""
    batch = daily_batch(
        day, drift=drift, label_noise=label_noise, corrupt_rows=corrupt_rows, seed=seed
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    batch.to_parquet(out_dir / "batch.parquet", index=False)
    return batch


def train_challenger(batch: pd.DataFrame, out_dir: Path, family: str, seed: int, n_splits: int):  # type: ignore[no-untyped-def]
    """Phase 2's `train` on the batch; returns the artifact folder."""
    from phase2_tabular.tabular_api.train import train

    return train(out_dir / "challenger", data=batch, family=family, seed=seed, n_splits=n_splits)


def score_models(
    challenger_dir: Path, registry: TabularRegistry, holdout: pd.DataFrame, spec: TableSpec
) -> dict[str, Any]:
    """Holdout balanced accuracy of the challenger and of the serving champion (None if none),
    and the challenger's hash and holdout labels."""
    from phase2_tabular.tabular_api.artifact import load_artifact
    from phase2_tabular.tabular_api.model_uri import load_registered
    from phase5_mlops.retraining_pipeline.gates import balanced_accuracy

    challenger = load_artifact(challenger_dir, spec)
    out: dict[str, Any] = {
        "challenger": balanced_accuracy(challenger.pipeline, holdout, spec),
        # What the serving check must see once this model is promoted.
        "challenger_sha256": challenger.card["model_sha256"],
        "challenger_labels": [str(x) for x in challenger.pipeline.predict(holdout[spec.features])],
        "champion": None,
        "champion_version": None,
    }
    if "champion" in _aliases(registry):
        with store_env(registry.uri):
            champion = load_registered(registry.model_uri("champion"), spec)
        out["champion"] = balanced_accuracy(champion.pipeline, holdout, spec)
        out["champion_version"] = champion.card["served_from"]["version"]
    return out


def register(registry: TabularRegistry, artifact_dir: Path, reason: str) -> str:
    """Register the challenger (it gets the `challenger` alias)."""
    return registry.register(artifact_dir, reason=reason, actor="retraining_pipeline")


def promote(registry: TabularRegistry, version: str, reason: str) -> str:
    """Move `champion` to the challenger."""
    return registry.promote(version, reason=reason, actor="retraining_pipeline")


def rollback(registry: TabularRegistry, reason: str) -> str:
    """Return `champion` to its previous holder."""
    return registry.rollback(reason=reason, actor="retraining_pipeline")


def champion_version(registry: TabularRegistry) -> str | None:
    """The champion's version, or None before the first promotion."""
    return _aliases(registry).get("champion")


def _aliases(registry: TabularRegistry) -> dict[str, str]:
    try:
        return registry.aliases()
    except Exception as err:  # the model is not registered yet: no aliases
        if "RESOURCE_DOES_NOT_EXIST" in str(getattr(err, "error_code", "")) or isinstance(
            err, RegistryError
        ):
            return {}
        raise


@contextlib.contextmanager
def store_env(uri: str) -> Iterator[None]:
    """Point `MLFLOW_TRACKING_URI` at `uri` for a block: phase 2's service reads its store
    from the environment (as it does when deployed), the pipeline may be given another."""
    before = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = uri
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = before
