"""The monitor watches a service configured with `models:/NAME@ALIAS` as well as a folder."""

import uuid

import pytest

from phase5_mlops.monitoring.live import training_reference


def test_training_reference_is_read_through_a_registry_alias(artifact, tmp_path, monkeypatch):
    mlflow = pytest.importorskip("mlflow")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    # Both URIs explicitly: mlflow's process-wide registry URI may point at another test's store.
    client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
    name = f"penguins_{uuid.uuid4().hex[:8]}"
    experiment = client.create_experiment("monitor", artifact_location=str(tmp_path / "art"))
    run = client.create_run(experiment)
    client.log_artifacts(run.info.run_id, str(artifact), "artifact")
    client.set_terminated(run.info.run_id)
    client.create_registered_model(name)
    version = client.create_model_version(
        name, f"{run.info.artifact_uri}/artifact", run_id=run.info.run_id
    )
    client.set_registered_model_alias(name, "champion", version.version)

    via_alias = training_reference(f"models:/{name}@champion")
    assert via_alias.equals(training_reference(artifact)) and len(via_alias) > 100
    with pytest.raises(ValueError, match="cannot resolve"):
        training_reference(f"models:/{name}@nobody")
