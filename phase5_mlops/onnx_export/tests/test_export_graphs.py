"""What the exported graphs look like: typed per-column inputs, metadata, dynamic batch."""

import math

import numpy as np
import onnx

from phase5_mlops.onnx_export.cases import image_case, tabular_case
from phase5_mlops.onnx_export.image_export import OPSET
from phase5_mlops.onnx_export.onnx_model import OnnxModel
from phase5_mlops.onnx_export.tabular_export import MISSING


def test_tabular_graph_has_one_typed_input_per_column_and_no_zipmap():
    run, onnx_bytes = tabular_case()
    model = OnnxModel(onnx_bytes)
    assert model.feature_names_in_ == run.spec.features
    kinds = {name: kind for name, (kind, _) in model.inputs.items()}
    assert {kinds[c] for c in run.spec.numeric} == {"tensor(float)"}
    assert {kinds[c] for c in run.spec.categorical} == {"tensor(string)"}
    assert model.outputs == ["label", "probabilities"]
    ops = {node.op_type for node in onnx.load_from_string(onnx_bytes).graph.node}
    assert "ZipMap" not in ops and {"Imputer", "OneHotEncoder", "Scaler"} <= ops
    assert model.missing_token == MISSING


def test_export_leaves_the_native_pipeline_untouched():
    run, _ = tabular_case()
    cat = run.pipeline.named_steps["preprocess"].named_transformers_["cat"]
    missing = cat.named_steps["impute"].missing_values
    assert isinstance(missing, float) and math.isnan(missing)


def test_cnn_graph_is_the_legacy_export_with_a_dynamic_batch():
    _, onnx_bytes = image_case()
    proto = onnx.load_from_string(onnx_bytes)
    onnx.checker.check_model(proto)
    assert proto.opset_import[0].version == OPSET
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch" and [d.dim_value for d in dims[1:]] == [3, 16, 16]
    ops = {node.op_type for node in proto.graph.node}
    # eval-mode trace: BatchNorm folded into the convolutions, Dropout gone
    assert "Conv" in ops and "Dropout" not in ops and "BatchNormalization" not in ops
    model = OnnxModel(onnx_bytes)
    assert list(model.classes_) == [str(i) for i in range(10)]
    assert model.predict_proba(np.zeros((3, 3, 16, 16), np.float32)).shape == (3, 10)
