"""MLflow records params, per-epoch metrics, seed and git revision, checkpoint and plot."""

import pytest

from phase3_deep.training.config import TrainConfig
from phase3_deep.training.example_task import DigitsMLP
from phase3_deep.training.loop import Trainer
from phase3_deep.training.tracking import (
    MlflowTracker,
    default_tracking_uri,
    git_revision,
    plot_history,
)


def test_default_tracking_uri_follows_env_else_repo_cache(monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///x.db")
    assert default_tracking_uri() == "sqlite:///x.db"
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    uri = default_tracking_uri()
    assert uri.startswith("sqlite:///") and uri.endswith(".cache/mlflow.db")


def test_a_tracked_run_holds_params_metrics_tags_and_artifacts(digits, tmp_path, mlflow_uri):
    from mlflow.tracking import MlflowClient

    train, val, _ = digits
    uri = mlflow_uri
    cfg = TrainConfig(epochs=3, lr=3e-3, seed=5)
    with MlflowTracker("t", seed=5, params=cfg.to_params(), tracking_uri=uri) as tracker:
        result = Trainer(DigitsMLP(), cfg, tracker=tracker, checkpoint_path=tmp_path / "c.pt").fit(
            train, val
        )
        tracker.log_artifact(result.checkpoint, "checkpoint")
        tracker.log_artifact(plot_history(result.history, tmp_path / "loss.png"), "plots")

    client = MlflowClient(uri)
    run = client.get_run(tracker.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["lr"] == "0.003" and run.data.params["seed"] == "5"
    assert run.data.tags["seed"] == "5"
    assert run.data.tags["git_revision"] == git_revision()
    history = client.get_metric_history(tracker.run_id, "val_loss")
    assert [m.step for m in history] == [0, 1, 2]
    assert [m.value for m in history] == pytest.approx([r["val_loss"] for r in result.history])
    artifacts = {
        a.path
        for folder in ("checkpoint", "plots")
        for a in client.list_artifacts(tracker.run_id, folder)
    }
    assert artifacts == {"checkpoint/c.pt", "plots/loss.png"}
    assert uri.removeprefix("sqlite:///").rsplit("/", 1)[0] in run.info.artifact_uri


def test_a_failing_run_is_marked_failed(mlflow_uri):
    from mlflow.tracking import MlflowClient

    uri = mlflow_uri
    with pytest.raises(RuntimeError), MlflowTracker("t", seed=0, tracking_uri=uri) as tracker:
        raise RuntimeError("boom")
    assert MlflowClient(uri).get_run(tracker.run_id).info.status == "FAILED"
