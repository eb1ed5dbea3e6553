"""Register, promote, move aliases and roll back on sqlite and on a real PostgreSQL store."""

import json

import mlflow
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase2_tabular.common.tables import load_table
from phase2_tabular.tabular_api.artifact import load_artifact
from phase5_mlops.registry.model_registry import RegistryError, TabularRegistry


def test_lifecycle_promote_move_rollback_keeps_a_consistent_history(store, model_name, artifacts):
    uri, root = store
    reg = TabularRegistry(model_name, uri=uri, artifacts=root)
    v1 = reg.register(artifacts[0], reason="first model", actor="ci")
    assert reg.aliases() == {"challenger": v1}
    reg.promote(reason="initial champion", actor="ci")
    assert reg.aliases() == {"champion": v1}  # promotion frees the challenger alias
    v2 = reg.register(artifacts[1], reason="nightly", actor="ci")
    assert reg.aliases() == {"champion": v1, "challenger": v2}
    reg.promote(reason="better on holdout", actor="ci")
    assert reg.resolve("champion") == v2

    assert reg.rollback(reason="latency regression", actor="oncall") == v1
    assert reg.aliases() == {"champion": v1}
    assert reg.version_tags(v2)["rolled_back"] == "latency regression"
    with pytest.raises(RegistryError, match="no previous champion"):
        reg.rollback(reason="again")

    moves = [(e.alias, e.previous, e.version, e.action, e.actor) for e in reg.history()]
    assert moves == [
        ("challenger", None, v1, "set", "ci"),
        ("champion", None, v1, "promote", "ci"),
        ("challenger", v1, None, "clear", "ci"),
        ("challenger", None, v2, "set", "ci"),
        ("champion", v1, v2, "promote", "ci"),
        ("challenger", v2, None, "clear", "ci"),
        ("champion", v2, v1, "rollback", "oncall"),
    ]
    assert reg.history()[-1].reason == "latency regression"
    assert reg.history_problems() == []


def test_alias_served_from_the_store_predicts_like_the_artifact(
    store, model_name, artifacts, monkeypatch
):
    uri, root = store
    reg = TabularRegistry(model_name, uri=uri, artifacts=root)
    reg.register(artifacts[1], reason="forest")
    reg.promote(reason="only model")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    df, spec = load_table("penguins")
    served = load_artifact(f"models:/{model_name}@champion", spec)
    direct = load_artifact(artifacts[1], spec)
    assert served.card["served_from"]["version"] == reg.resolve("champion")
    # Same pickled bytes (sha256 checked on load), so predictions must match bit for bit.
    assert_parity(
        served.pipeline.predict_proba(df[spec.features]),
        direct.pipeline.predict_proba(df[spec.features]),
        reference=f"phase2 load_artifact, folder ({reference_version('mlflow')})",
        exact=True,
        name="models:/@champion vs artifact folder",
    )


def test_rollback_refuses_when_the_alias_was_moved_behind_its_back(
    sqlite_store, model_name, artifacts
):
    reg = TabularRegistry(model_name, uri=sqlite_store[0], artifacts=sqlite_store[1])
    v1 = reg.register(artifacts[0], reason="a")
    reg.promote(reason="a")
    v2 = reg.register(artifacts[1], reason="b")
    reg.client.set_registered_model_alias(model_name, "champion", v2)  # not through us
    assert any("champion" in p for p in reg.history_problems())
    with pytest.raises(RegistryError, match="history ends at"):
        reg.rollback(reason="should refuse")
    assert reg.resolve("champion") == v2 and v1 != v2


def test_every_version_carries_signature_example_and_card(sqlite_store, model_name, artifacts):
    reg = TabularRegistry(model_name, uri=sqlite_store[0], artifacts=sqlite_store[1])
    version = reg.register(artifacts[0], reason="card check")
    mlflow.set_tracking_uri(sqlite_store[0])
    card = json.loads((artifacts[0] / "model_card.json").read_text())
    info = mlflow.models.get_model_info(f"models:/{model_name}/{version}")
    inputs = [c["name"] for c in info.signature.inputs.to_dict()]
    assert inputs == card["features"]
    assert info.signature.outputs.to_dict()[0]["name"] == "label"
    assert info.saved_input_example_info is not None
    tags = reg.version_tags(version)
    assert tags["card.model_sha256"] == card["model_sha256"]
    assert tags["card.training_data.content_hash"] == card["training_data"]["content_hash"]
    assert float(tags["card.metrics.balanced_accuracy"]) == pytest.approx(
        card["metrics"]["balanced_accuracy"]["mean"], abs=1e-6
    )
    mv = reg.client.get_model_version(model_name, version)
    assert "balanced_accuracy" in mv.description and card["model_version"] in mv.description
    logged = mlflow.artifacts.load_dict(f"runs:/{tags['run_id']}/model_card.json")
    assert logged == card


def test_pyfunc_flavour_predicts_like_the_pipeline(sqlite_store, model_name, artifacts):
    reg = TabularRegistry(model_name, uri=sqlite_store[0], artifacts=sqlite_store[1])
    reg.register(artifacts[0], reason="pyfunc")
    reg.promote(reason="pyfunc")
    mlflow.set_tracking_uri(sqlite_store[0])
    df, spec = load_table("penguins")
    X = df[spec.features].dropna().reset_index(drop=True)
    model = mlflow.pyfunc.load_model(f"models:/{model_name}@champion")
    out = model.predict(X)
    pipe = load_artifact(artifacts[0]).pipeline
    assert list(out["label"]) == list(pipe.predict(X))
    proba_cols = [f"proba_{c}" for c in pipe.classes_]
    assert_parity(
        out[proba_cols].to_numpy(),
        pipe.predict_proba(X),
        reference=f"{reference_version('mlflow')} pyfunc",
        exact=True,
        name="pyfunc predict vs pipeline",
    )


def test_registering_a_corrupt_artifact_is_refused(sqlite_store, model_name, artifacts, tmp_path):
    import shutil

    from phase2_tabular.tabular_api.artifact import ArtifactError

    broken = tmp_path / "broken"
    shutil.copytree(artifacts[0], broken)
    (broken / "model.joblib").write_bytes(b"not a model")
    reg = TabularRegistry(model_name, uri=sqlite_store[0], artifacts=sqlite_store[1])
    with pytest.raises(ArtifactError, match="sha256"):
        reg.register(broken, reason="must fail")
