"""The monitor watches a service configured with `models:/NAME@ALIAS` as well as a folder."""

import pytest

from phase5_mlops.monitoring.live import training_reference


def test_training_reference_is_read_through_a_registry_alias(artifact, tmp_path, monkeypatch):
    mlflow = pytest.importorskip("mlflow")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    mlflow.set_tracking_uri(uri)
    client = mlflow.MlflowClient(tracking_uri=uri)
    experiment = client.create_experiment("monitor", artifact_location=str(tmp_path / "art"))
    run = client.create_run(experiment)
    client.log_artifacts(run.info.run_id, str(artifact), "artifact")
    client.set_terminated(run.info.run_id)
    client.create_registered_model("penguins")
    version = client.create_model_version(
        "penguins", f"{run.info.artifact_uri}/artifact", run_id=run.info.run_id
    )
    client.set_registered_model_alias("penguins", "champion", version.version)

    via_alias = training_reference("models:/penguins@champion")
    assert via_alias.equals(training_reference(artifact)) and len(via_alias) > 100
    with pytest.raises(ValueError, match="cannot resolve"):
        training_reference("models:/penguins@nobody")
