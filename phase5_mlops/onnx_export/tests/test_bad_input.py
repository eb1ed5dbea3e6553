"""Bad input gets a ValueError/TypeError that names the problem, never an onnxruntime crash."""

import numpy as np
import pytest

from phase5_mlops.onnx_export.cases import image_case, tabular_case
from phase5_mlops.onnx_export.onnx_model import OnnxModel
from phase5_mlops.onnx_export.tabular_export import MISSING


@pytest.fixture(scope="module")
def tabular():
    run, onnx_bytes = tabular_case()
    return OnnxModel(onnx_bytes), run.X_test.iloc[:5].reset_index(drop=True)


@pytest.fixture(scope="module")
def images():
    run, onnx_bytes = image_case()
    return OnnxModel(onnx_bytes), run.X_test[:4]


def test_a_missing_column_is_named(tabular):
    model, X = tabular
    with pytest.raises(ValueError, match=r"missing \['sex'\], unexpected \[\]"):
        model.predict(X.drop(columns="sex"))


def test_a_misspelt_column_is_named_as_missing_and_unexpected(tabular):
    model, X = tabular
    with pytest.raises(ValueError, match=r"missing \['island'\], unexpected \['islnd'\]"):
        model.predict_proba(X.rename(columns={"island": "islnd"}))


def test_an_extra_column_is_refused(tabular):
    model, X = tabular
    with pytest.raises(ValueError, match=r"unexpected \['species'\]"):
        model.predict(X.assign(species="Adelie"))


def test_text_in_a_numeric_column_is_refused(tabular):
    model, X = tabular
    bad = X.astype({"body_mass_g": object})
    bad.loc[0, "body_mass_g"] = "heavy"
    with pytest.raises(ValueError, match="column 'body_mass_g' must be numeric"):
        model.predict(bad)


def test_infinity_is_refused(tabular):
    model, X = tabular
    with pytest.raises(ValueError, match="'bill_depth_mm' holds infinity"):
        model.predict(X.assign(bill_depth_mm=np.inf))


def test_a_number_in_a_categorical_column_is_refused(tabular):
    model, X = tabular
    with pytest.raises(ValueError, match="column 'island' holds categories"):
        model.predict(X.assign(island=3))


def test_the_missing_marker_cannot_be_sent_as_a_category(tabular):
    model, X = tabular
    with pytest.raises(ValueError, match="reserved for missing values"):
        model.predict(X.assign(sex=MISSING))


def test_an_empty_frame_is_refused(tabular):
    model, X = tabular
    with pytest.raises(ValueError, match="empty"):
        model.predict(X.iloc[:0])


def test_a_bare_array_is_refused_by_a_tabular_model(tabular):
    model, X = tabular
    with pytest.raises(TypeError, match="pandas DataFrame"):
        model.predict(X.to_numpy())


def test_a_dict_of_columns_is_accepted(tabular):
    model, X = tabular
    as_dict = {c: X[c].tolist() for c in X.columns}
    assert list(model.predict(as_dict)) == list(model.predict(X))


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((4, 1, 16, 16), "axis 1 must be 3"),
        ((4, 3, 8, 8), "axis 2 must be 16"),
        ((3, 16, 16), "must have 4 dims"),
        ((0, 3, 16, 16), "holds no rows"),
    ],
)
def test_images_of_the_wrong_shape_are_refused(images, shape, message):
    model, _ = images
    with pytest.raises(ValueError, match=message):
        model.predict(np.zeros(shape, np.float32))


def test_non_numeric_images_are_refused(images):
    model, _ = images
    with pytest.raises(ValueError, match="must be numeric"):
        model.predict(np.full((1, 3, 16, 16), "x"))


def test_float64_images_are_cast_not_refused(images):
    model, X = images
    assert list(model.predict(X.astype(np.float64))) == list(model.predict(X))


def test_pandas_string_columns_are_accepted(tabular):
    model, X = tabular
    typed = X.astype({"island": "string", "sex": "string"})
    assert list(model.predict(typed)) == list(model.predict(X))
