"""The hand-written ONNX graph against scikit-learn, skl2onnx's export and the full wrapper."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from phase0_env.common.parity import assert_parity
from phase5_mlops.onnx_export import minimal
from phase5_mlops.onnx_export.onnx_model import OnnxModel


@pytest.fixture(scope="module")
def fitted():
    X, y = load_wine(return_X_y=True)  # 178 rows, 13 numeric columns, 3 classes
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    train, test = order[:120], order[120:]
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    pipe.fit(X[train], y[train])
    scaler, clf = pipe.named_steps["standardscaler"], pipe.named_steps["logisticregression"]
    params = (scaler.mean_, scaler.scale_, clf.coef_, clf.intercept_)
    return pipe, params, X[test].astype(np.float32)


def test_graph_equals_scikit_learn(fitted):
    pipe, params, X = fitted
    served = OnnxModel(minimal.logistic_graph(*params).SerializeToString())
    # float32 graph vs float64 scikit-learn: probabilities within float32 rounding of O(1) values.
    assert_parity(
        served.predict_proba(X),
        pipe.predict_proba(X.astype(np.float64)),
        reference="scikit-learn predict_proba",
        atol=1e-5,
        name="probabilities",
    )
    assert_parity(
        served.predict(X),
        pipe.predict(X.astype(np.float64)),
        reference="scikit-learn predict",
        exact=True,
        name="labels",
    )


def test_graph_equals_skl2onnx_export(fitted):
    skl2onnx = pytest.importorskip("skl2onnx")
    from skl2onnx.common.data_types import FloatTensorType

    pipe, params, X = fitted
    exported = skl2onnx.convert_sklearn(
        pipe,
        initial_types=[("X", FloatTensorType([None, X.shape[1]]))],
        options={id(pipe.named_steps["logisticregression"]): {"zipmap": False}},
        target_opset={"": minimal.OPSET, "ai.onnx.ml": 3},
    )
    theirs = OnnxModel(exported.SerializeToString()).run(X)
    ours = OnnxModel(minimal.logistic_graph(*params).SerializeToString()).run(X)
    # Both float32 graphs; skl2onnx orders the same arithmetic differently (Scaler op, Gemm).
    assert_parity(
        ours["probabilities"],
        theirs["probabilities"],
        reference="skl2onnx export",
        atol=1e-6,
        name="vs skl2onnx",
    )
    assert_parity(
        ours["label"],
        theirs["label"],
        reference="skl2onnx export",
        exact=True,
        name="labels vs skl2onnx",
    )


def test_numpy_twin_equals_scikit_learn(fitted):
    pipe, params, X = fitted
    X64 = X.astype(np.float64)
    # Same float64 formula; scikit-learn's softmax subtracts the max too.
    assert_parity(
        minimal.logistic_numpy(X64, *params),
        pipe.predict_proba(X64),
        reference="scikit-learn",
        rtol=1e-10,
        atol=1e-14,
        name="numpy twin",
    )
