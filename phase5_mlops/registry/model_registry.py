"""Register phase 2 artifacts in MLflow and move the `champion`/`challenger` aliases.

`TabularRegistry(name)` wraps one registered model. `register` logs an artifact folder as a
pyfunc version (signature, input example, the card as artifact, tags and description) and
points `challenger` at it; `promote` moves `champion`; `rollback` returns `champion` to the
previous holder. Every alias move is recorded in the alias history (alias_history.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import pandas as pd

from phase2_tabular.common.tables import TABLES
from phase2_tabular.tabular_api.artifact import CARD_FILE, ArtifactError, load_artifact
from phase5_mlops.registry import alias_history as H
from phase5_mlops.registry.card_tags import version_description, version_tags
from phase5_mlops.registry.store import artifact_root, ensure_experiment, tracking_uri

CHAMPION, CHALLENGER = "champion", "challenger"
PYFUNC_FILE = Path(__file__).with_name("pyfunc_model.py")
# Pinned to what trained the model; MLflow checks them against this environment once per
# process (it scans every installed distribution: seconds, then cached).
PIP_PACKAGES = ("scikit-learn", "pandas", "numpy", "joblib", "pyarrow", "mlflow")
EXAMPLE_ROWS = 5


class RegistryError(RuntimeError):
    """A registry operation that cannot be done (no previous champion, history out of sync)."""


@dataclass(frozen=True)
class VersionInfo:
    """One registered version as the CLI lists it."""

    version: str
    aliases: tuple[str, ...]
    model_version: str
    balanced_accuracy: str
    created_ms: int
    run_id: str


class TabularRegistry:
    """One registered model of phase 2 pipelines in an MLflow store."""

    def __init__(
        self,
        name: str = "penguins",
        uri: str | None = None,
        artifacts: Path | str | None = None,
    ) -> None:
        from mlflow import MlflowClient

        self.name = name
        self.uri = tracking_uri(uri)
        self.artifacts = artifact_root(artifacts)
        self.client = MlflowClient(tracking_uri=self.uri, registry_uri=self.uri)

    # -- registering -----------------------------------------------------------------
    def register(
        self, artifact_dir: Path | str, *, reason: str = "", actor: str | None = None
    ) -> str:
        """Log the artifact as a new version and make it the challenger; returns the version."""
        import mlflow
        from mlflow.models import infer_signature

        from phase5_mlops.registry.pyfunc_model import ARTIFACT_KEY, predict_frame

        folder = Path(artifact_dir)
        try:
            spec = TABLES[json.loads((folder / CARD_FILE).read_text())["schema"]["table"]]
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ArtifactError(f"{folder}: no readable model card ({err})") from err
        # Refuse a corrupt, incompatible or off-contract artifact before anything is logged.
        artifact = load_artifact(folder, spec)
        card = artifact.card
        snapshot = pd.read_parquet(folder / card["training_data"]["snapshot"])
        example = snapshot[spec.features].dropna().head(EXAMPLE_ROWS).reset_index(drop=True)
        signature = infer_signature(example, predict_frame(artifact.pipeline, example))
        experiment_id = ensure_experiment(self.client, self.artifacts)
        # log_model works through MLflow's fluent API, which reads the global URIs.
        mlflow.set_tracking_uri(self.uri)
        mlflow.set_registry_uri(self.uri)
        with mlflow.start_run(experiment_id=experiment_id, run_name=card["name"]) as run:
            mlflow.log_params({"family": card["family"], "seed": card["seed"]})
            mlflow.log_metrics({f"cv_{k}": v["mean"] for k, v in card["metrics"].items()})
            mlflow.log_dict(card, "model_card.json")
            info = mlflow.pyfunc.log_model(
                name="model",
                python_model=str(PYFUNC_FILE),
                artifacts={ARTIFACT_KEY: str(folder)},
                signature=signature,
                input_example=example,
                pip_requirements=[f"{p}=={installed_version(p)}" for p in PIP_PACKAGES],
                registered_model_name=self.name,
            )
        version = str(info.registered_model_version)
        for key, value in version_tags(card).items():
            self.client.set_model_version_tag(self.name, version, key, value)
        self.client.set_model_version_tag(self.name, version, "run_id", run.info.run_id)
        self.client.update_model_version(self.name, version, version_description(card))
        self.set_alias(CHALLENGER, version, reason=reason or "registered", actor=actor)
        return version

    # -- aliases ---------------------------------------------------------------------
    def aliases(self) -> dict[str, str]:
        """Current alias -> version."""
        return {k: str(v) for k, v in self.client.get_registered_model(self.name).aliases.items()}

    def resolve(self, alias: str) -> str:
        """The version an alias points at (RegistryError when unset)."""
        version = self.aliases().get(alias)
        if version is None:
            raise RegistryError(f"{self.name} has no {alias!r} alias")
        return version

    def set_alias(
        self,
        alias: str,
        version: str | None,
        *,
        reason: str,
        actor: str | None = None,
        action: str = "set",
    ) -> H.AliasEvent:
        """Point `alias` at `version` (None removes it) and record the move."""
        previous = self.aliases().get(alias)
        if version is None:
            if previous is not None:
                self.client.delete_registered_model_alias(self.name, alias)
            action = "clear"
        else:
            self.client.get_model_version(self.name, str(version))  # must exist
            self.client.set_registered_model_alias(self.name, alias, str(version))
        target = None if version is None else str(version)
        event = H.new_event(alias, target, previous, action, reason, actor)
        self.client.set_registered_model_tag(self.name, event.tag_key, event.tag_value())
        return event

    def promote(self, version: str | None = None, *, reason: str, actor: str | None = None) -> str:
        """Make `version` (default: the challenger) the champion; the challenger alias is freed."""
        target = str(version) if version is not None else self.resolve(CHALLENGER)
        self.set_alias(CHAMPION, target, reason=reason, actor=actor, action="promote")
        if self.aliases().get(CHALLENGER) == target:
            self.set_alias(CHALLENGER, None, reason=f"promoted to champion: {reason}", actor=actor)
        return target

    def rollback(self, *, reason: str = "rollback", actor: str | None = None) -> str:
        """Return `champion` to the version that held it before the current one."""
        events = self.history()
        lineage = H.champion_lineage(events)
        current = self.aliases().get(CHAMPION)
        if not lineage or lineage[-1] != current:
            raise RegistryError(
                f"{self.name}: champion is {current} but the alias history ends at "
                f"{lineage[-1] if lineage else None}; refusing to guess the previous champion"
            )
        if len(lineage) < 2:
            raise RegistryError(f"{self.name}: no previous champion to roll back to")
        target = lineage[-2]
        self.set_alias(CHAMPION, target, reason=reason, actor=actor, action="rollback")
        assert current is not None
        self.client.set_model_version_tag(self.name, current, "rolled_back", reason[:200])
        return target

    # -- reading ---------------------------------------------------------------------
    def history(self) -> list[H.AliasEvent]:
        """Every recorded alias move, oldest first."""
        return H.events_from_tags(self.client.get_registered_model(self.name).tags)

    def history_problems(self) -> list[str]:
        """Disagreements between the recorded history and the current aliases."""
        return H.history_problems(self.history(), self.aliases())

    def versions(self) -> list[VersionInfo]:
        """Every version, newest first, with its aliases and headline metric."""
        by_version: dict[str, list[str]] = {}
        for alias, version in self.aliases().items():
            by_version.setdefault(version, []).append(alias)
        found = self.client.search_model_versions(f"name = '{self.name}'")
        rows = [
            VersionInfo(
                version=str(mv.version),
                aliases=tuple(sorted(by_version.get(str(mv.version), []))),
                model_version=mv.tags.get("card.model_version", "?"),
                balanced_accuracy=mv.tags.get("card.metrics.balanced_accuracy", "?"),
                created_ms=int(mv.creation_timestamp),
                run_id=str(mv.run_id),
            )
            for mv in found
        ]
        return sorted(rows, key=lambda r: int(r.version), reverse=True)

    def version_tags(self, version: str) -> dict[str, str]:
        """The tags of one version."""
        return dict(self.client.get_model_version(self.name, str(version)).tags)

    def model_uri(self, alias: str = CHAMPION) -> str:
        """`models:/NAME@ALIAS`, the reference phase 2's API loads."""
        return f"models:/{self.name}@{alias}"

    def describe(self) -> dict[str, Any]:
        """Aliases, versions and history as one JSON-able dict."""
        return {
            "name": self.name,
            "uri": self.uri,
            "aliases": self.aliases(),
            "versions": [v.__dict__ for v in self.versions()],
            "history": H.as_rows(self.history()),
        }
