"""Training writes a complete model card; loading refuses mismatched or corrupt artifacts."""

import json

import numpy as np
import pytest

from phase2_tabular.common.snapshot import read_snapshot
from phase2_tabular.common.tables import WAGES, load_table, split_xy
from phase2_tabular.tabular_api.artifact import (
    CARD_FILE,
    MODEL_FILE,
    ArtifactError,
    load_artifact,
    schema_of,
)
from phase2_tabular.tabular_api.train import metric_with_ci, train


def test_model_card_records_data_schema_metrics_versions_and_seed(artifact, penguins):
    df, spec = penguins
    card = load_artifact(artifact, spec).card
    assert card["schema"] == schema_of(spec)
    assert card["features"] == spec.features
    assert card["seed"] == 0
    assert card["git_revision"]
    assert set(card["libraries"]) >= {"python", "scikit-learn", "numpy", "pandas"}
    snap, meta = read_snapshot(artifact / card["training_data"]["snapshot"])
    assert card["training_data"]["content_hash"] == meta["content_hash"]
    assert len(snap) == card["training_data"]["n_rows"] == len(df)
    for m in card["metrics"].values():
        assert m["ci_low"] <= m["mean"] <= m["ci_high"] and len(m["folds"]) == 3
    assert card["metrics"]["balanced_accuracy"]["mean"] > 0.95


def test_confidence_interval_matches_the_t_formula():
    folds = np.array([0.8, 0.85, 0.9, 0.82, 0.88])
    ci = metric_with_ci(folds)
    # t(0.975, 4) = 2.7764451051977987
    half = 2.7764451051977987 * folds.std(ddof=1) / np.sqrt(5)
    assert ci["ci_low"] == pytest.approx(folds.mean() - half, rel=1e-9)
    assert ci["ci_high"] == pytest.approx(folds.mean() + half, rel=1e-9)


def test_training_twice_with_one_seed_gives_byte_identical_predictions(
    artifact, tmp_path, penguins
):
    df, spec = penguins
    again = train(tmp_path / "again", n_splits=3, seed=0)
    X = split_xy(df, spec)[0]
    a = load_artifact(artifact).pipeline.predict_proba(X)
    b = load_artifact(again).pipeline.predict_proba(X)
    assert a.tobytes() == b.tobytes()


def test_loading_refuses_another_schema_with_a_clear_error(artifact):
    with pytest.raises(ArtifactError, match=r"schema mismatch: artifact has penguins v1.*wages"):
        load_artifact(artifact, WAGES)


def test_loading_refuses_a_different_sklearn_minor_version(artifact_copy):
    card = json.loads((artifact_copy / CARD_FILE).read_text())
    card["libraries"]["scikit-learn"] = "1.2.0"
    (artifact_copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ArtifactError, match=r"scikit-learn 1.2.0 was used to train"):
        load_artifact(artifact_copy)


def test_loading_refuses_a_tampered_model_file(artifact_copy):
    with (artifact_copy / MODEL_FILE).open("ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ArtifactError, match="sha256"):
        load_artifact(artifact_copy)


def test_loading_a_folder_without_an_artifact_says_so(tmp_path):
    with pytest.raises(ArtifactError, match="not a model artifact"):
        load_artifact(tmp_path)


def test_training_refuses_data_that_breaks_the_contract(penguins, tmp_path):
    df, _ = penguins
    bad = df.copy()
    bad.loc[5, "flipper_length_mm"] = 10_000.0
    with pytest.raises(ValueError, match="row 5, column flipper_length_mm"):
        train(tmp_path / "m", data=bad)


def test_the_same_code_trains_on_the_wages_schema(tmp_path):
    folder = train(tmp_path / "wages", table="wages", n_splits=3)
    art = load_artifact(folder, WAGES)
    df, spec = load_table("wages")
    assert art.card["schema"]["table"] == "wages"
    assert set(art.pipeline.predict(df[spec.features].head(50))) <= {"no", "yes"}


def test_unknown_family_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown model family"):
        train(tmp_path / "m", family="svm")
