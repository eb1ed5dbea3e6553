"""Model selection, imbalance handling, calibration and SHAP do what they claim."""

import numpy as np
import pytest

from phase2_tabular.classical_practice.calibration import calibrate, plot_reliability
from phase2_tabular.classical_practice.explain import shap_additivity
from phase2_tabular.classical_practice.imbalance import (
    compare_strategies,
    make_imbalanced,
    oversample,
)
from phase2_tabular.classical_practice.selection import select_model
from phase2_tabular.common.tables import load_table, split_xy


@pytest.fixture(scope="module")
def selection(penguins):
    df, spec = penguins
    return select_model(df, spec, n_splits=3, seed=0, quick=True)


def test_selection_searches_three_families_and_picks_the_best_mean(selection):
    assert set(selection.table["family"]) == {
        "logistic_regression",
        "random_forest",
        "hist_gradient_boosting",
    }
    assert selection.best_family == selection.table.sort_values("mean").iloc[-1]["family"]
    for family, scores in selection.fold_scores.items():
        assert scores.shape == (3,)
        row = selection.table.set_index("family").loc[family]
        assert row["mean"] == pytest.approx(scores.mean())
    assert (selection.table["n_candidates"] >= 1).all()
    assert selection.table["mean"].min() > 0.9  # penguins are well separated


def test_shap_values_add_up_to_the_tree_model_probabilities(selection, penguins):
    df, spec = penguins
    forest = selection.searches["random_forest"].best_estimator_
    res = shap_additivity(forest, split_xy(df, spec)[0])
    assert res.values.shape == (len(df), len(res.feature_names), 3)
    assert res.max_additivity_error < 1e-8
    assert res.mean_abs().index[0] in {"bill_length_mm", "flipper_length_mm", "bill_depth_mm"}


def test_imbalanced_variant_keeps_the_requested_fraction(penguins):
    df, spec = penguins
    imb, imb_spec = make_imbalanced(df, spec, "Chinstrap", keep=0.15, seed=0)
    assert imb_spec.classes == ("other", "Chinstrap")
    assert (imb[spec.target] == "Chinstrap").sum() == round(0.15 * 68)
    assert set(imb[spec.target]) == {"other", "Chinstrap"}


def test_oversampling_balances_classes_from_existing_rows(penguins):
    df, spec = penguins
    imb, imb_spec = make_imbalanced(df, spec, "Chinstrap", keep=0.15, seed=0)
    X, y = split_xy(imb, imb_spec)
    Xo, yo = oversample(X, y, np.random.default_rng(0))
    counts = yo.value_counts()
    assert counts.nunique() == 1
    assert set(Xo.index) <= set(X.index)


def test_class_weights_lift_balanced_accuracy_on_the_imbalanced_variant(penguins):
    df, spec = penguins
    imb, imb_spec = make_imbalanced(df, spec, "Chinstrap", keep=0.15, seed=0)
    table = compare_strategies(imb, imb_spec, n_splits=3, seed=0).set_index("strategy")
    assert list(table.index) == ["none", "class_weight", "oversample"]
    assert table.loc["class_weight", "balanced_accuracy"] > table.loc["none", "balanced_accuracy"]
    assert ((table["pr_auc"] > 0) & (table["pr_auc"] <= 1)).all()


def test_calibration_lowers_the_brier_score_of_naive_bayes(tmp_path):
    wages, spec = load_table("wages")
    res = calibrate(wages, spec, seed=0)
    assert res.brier["sigmoid"] < res.brier["uncalibrated"]
    assert res.brier["isotonic"] < res.brier["uncalibrated"]
    png = plot_reliability(res, tmp_path / "cal.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_demo_writes_the_cv_table_as_markdown(selection, tmp_path):
    from phase2_tabular.classical_practice.demo import write_cv_table

    text = write_cv_table(selection, tmp_path / "cv.md", quick=True).read_text()
    assert "| family | mean | std | best params | fold scores |" in text
    assert f"chosen: **{selection.best_family}**" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 4  # header + three families
