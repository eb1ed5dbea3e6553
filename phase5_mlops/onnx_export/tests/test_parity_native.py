"""onnxruntime equals the native scikit-learn pipeline and torch CNN on whole test splits."""

import numpy as np

from phase0_env.common.parity import assert_parity, reference_version
from phase5_mlops.onnx_export.cases import image_case, tabular_case
from phase5_mlops.onnx_export.image_export import native_probabilities
from phase5_mlops.onnx_export.onnx_model import OnnxModel
from phase5_mlops.onnx_export.parity import checks
from phase5_mlops.onnx_export.tabular_export import native_frame

SK = reference_version("scikit-learn")
TORCH = reference_version("torch")
# Both graphs run in float32 against float64 scikit-learn / differently ordered torch
# kernels: 1e-5 absolute and relative on probabilities and logits (seen: <= 3e-6).
RTOL, ATOL = 1e-5, 1e-5


def test_every_parity_check_passes():
    results = checks()
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert len(results) == 9 and not failed, failed


def test_pipeline_reloaded_from_a_file_equals_scikit_learn_on_the_test_split(tmp_path):
    run, onnx_bytes = tabular_case()
    path = tmp_path / "pipeline.onnx"
    path.write_bytes(onnx_bytes)
    model = OnnxModel(path)
    native = native_frame(run.X_test, run.spec)
    assert len(run.X_test) == 86  # the whole stratified 25 % of 344 penguins
    assert_parity(model.predict(run.X_test), run.pipeline.predict(native), reference=SK, exact=True)
    assert_parity(
        model.predict_proba(run.X_test),
        run.pipeline.predict_proba(native),
        reference=SK,
        rtol=RTOL,
        atol=ATOL,
        name="penguins probabilities",
    )


def test_probability_columns_follow_the_pipeline_classes():
    run, onnx_bytes = tabular_case()
    model = OnnxModel(onnx_bytes)
    assert list(model.classes_) == list(run.pipeline.classes_)
    proba = model.predict_proba(run.X_test)
    assert_parity(
        model.classes_[np.argmax(proba, axis=1)],
        model.predict(run.X_test),
        reference=SK,
        exact=True,
    )


def test_cnn_equals_torch_on_every_test_digit():
    run, onnx_bytes = image_case()
    model = OnnxModel(onnx_bytes)
    logits, proba = native_probabilities(run.model, run.X_test)
    out = model.run(run.X_test)
    assert len(run.X_test) == 450
    assert_parity(out["logits"], logits, reference=TORCH, rtol=RTOL, atol=ATOL, name="logits")
    assert_parity(out["probabilities"], proba, reference=TORCH, rtol=RTOL, atol=ATOL)
    assert_parity(
        model.predict(run.X_test).astype(int), proba.argmax(1), reference=TORCH, exact=True
    )
    assert run.test_accuracy > 0.9  # a trained model, not a random one


def test_cnn_gives_the_same_answer_at_batch_one_and_batch_n():
    run, onnx_bytes = image_case()
    model = OnnxModel(onnx_bytes)
    whole = model.predict_proba(run.X_test[:40])
    one_by_one = np.concatenate([model.predict_proba(run.X_test[i : i + 1]) for i in range(40)])
    assert_parity(one_by_one, whole, reference="onnxruntime (batch 40)", rtol=RTOL, atol=ATOL)
