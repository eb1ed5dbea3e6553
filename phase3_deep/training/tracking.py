"""Experiment tracking with MLflow: params, per-epoch metrics, seed and git revision, artifacts.

The store is local by default: `MLFLOW_TRACKING_URI` if set, else a sqlite file under the
repository's `.cache/`. Artifacts (checkpoint, plots) go in a folder next to a sqlite store,
so a test's tmp_path store keeps everything inside tmp_path. Uses `MlflowClient` with an
explicit run id, so nothing depends on MLflow's process-global "active run".
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from phase0_env.common.paths import default_tracking_uri, project_root

REPO_ROOT = project_root(__file__)


def git_revision(root: Path = REPO_ROOT) -> str:
    """The repository's HEAD commit (with `-dirty` when there are local changes), or 'unknown'."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        if rev.returncode != 0:
            return "unknown"
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10
        )
        return rev.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


class MlflowTracker:
    """One MLflow run: `with MlflowTracker("exp", seed=0, params=cfg) as t: t.log_metrics(...)`."""

    def __init__(
        self,
        experiment: str,
        *,
        seed: int,
        params: dict[str, Any] | None = None,
        tracking_uri: str | None = None,
        run_name: str | None = None,
    ) -> None:
        self.experiment = experiment
        self.seed = seed
        self.params = dict(params or {})
        self.tracking_uri = tracking_uri or default_tracking_uri()
        self.run_name = run_name
        self.run_id: str | None = None

    def __enter__(self) -> MlflowTracker:
        from mlflow.tracking import MlflowClient

        self.client = MlflowClient(tracking_uri=self.tracking_uri)
        exp = self.client.get_experiment_by_name(self.experiment)
        exp_id = (
            exp.experiment_id
            if exp is not None
            else self.client.create_experiment(self.experiment, self._artifact_location())
        )
        tags = {"seed": str(self.seed), "git_revision": git_revision()}
        if self.run_name:
            tags["mlflow.runName"] = self.run_name
        self.run_id = self.client.create_run(exp_id, tags=tags).info.run_id
        for key, value in self.params.items():
            self.client.log_param(self.run_id, key, value)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.client.set_terminated(self.run_id, "FAILED" if exc_type else "FINISHED")

    def log_metrics(self, metrics: dict[str, float], step: int) -> None:
        """Log each metric at `step` (the epoch, for the training loop)."""
        for key, value in metrics.items():
            self.client.log_metric(self.run_id, key, float(value), step=step)

    def log_artifact(self, path: str | Path, folder: str | None = None) -> None:
        """Copy a file (checkpoint, plot, table) into the run's artifacts."""
        self.client.log_artifact(self.run_id, str(path), folder)

    def _artifact_location(self) -> str | None:
        if self.tracking_uri.startswith("sqlite:///"):
            db = Path(self.tracking_uri.removeprefix("sqlite:///"))
            return (db.parent / "mlartifacts" / self.experiment).resolve().as_uri()
        return None


def plot_history(history: list[dict[str, float]], path: str | Path) -> Path:
    """Save train/val loss (and val accuracy) per epoch as a PNG and return its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [row["epoch"] for row in history]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(epochs, [r["train_loss"] for r in history], label="train loss")
    if history and "val_loss" in history[0]:
        ax.plot(epochs, [r["val_loss"] for r in history], label="val loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
