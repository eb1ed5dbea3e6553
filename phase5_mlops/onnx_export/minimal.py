"""An ONNX graph written by hand, the idea only: what skl2onnx writes for a standardise +
logistic-regression pipeline, as six operators on one float32 input.

An exported model is a graph of named operators over named tensors, with the fitted numbers
stored as initializers. Built with `onnx.helper` (the format's own builder, as torch is for
the torch milestones). The full version exports the real phase 2 pipeline with skl2onnx
(one input per column, imputers, one-hot) and phase 3's CNN with torch.onnx, and serves both
through `OnnxModel`; `tests/test_minimal.py` runs this graph in onnxruntime through that
wrapper and checks it against scikit-learn and against skl2onnx's export.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def logistic_graph(
    mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: np.ndarray
) -> onnx.ModelProto:
    """Input `X` float32 [N, d] -> outputs `probabilities` [N, k] and `label` [N] (int64).

    probabilities = softmax(((X - mean) / scale) @ coef.T + intercept) over the classes,
    label = argmax of the probabilities. mean, scale: (d,); coef: (k, d); intercept: (k,).
    Store the numbers as float32 initializers; nodes are Sub, Div, MatMul, Add, Softmax, ArgMax.
    Hint: `helper.make_node("Sub", ["X", "mean"], ["centred"])`; MatMul takes coef.T, (d, k).
    """
    weights = {
        "mean": mean,  # (d,) broadcast over rows
        "scale": scale,  # (d,)
        "coef_t": coef.T,  # (d, k)
        "intercept": intercept,  # (k,)
    }
    initializers = [
        numpy_helper.from_array(np.asarray(v, dtype=np.float32), name)
        for name, v in weights.items()
    ]
    nodes = [
        helper.make_node("Sub", ["X", "mean"], ["centred"]),  # (N, d)
        helper.make_node("Div", ["centred", "scale"], ["scaled"]),  # (N, d)
        helper.make_node("MatMul", ["scaled", "coef_t"], ["product"]),  # (N, k)
        helper.make_node("Add", ["product", "intercept"], ["logits"]),  # (N, k)
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),  # (N, k)
        helper.make_node("ArgMax", ["probabilities"], ["label"], axis=1, keepdims=0),  # (N,)
    ]
    d, k = coef.shape[1], coef.shape[0]
    graph = helper.make_graph(
        nodes,
        "standardise_logistic",
        inputs=[helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, d])],
        outputs=[
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, k]),
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
        ],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model)  # the format's own validation: types, shapes, opset
    return model


def logistic_numpy(
    X: np.ndarray, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: np.ndarray
) -> np.ndarray:
    """The same computation in float64 NumPy: what the graph should give, up to float32."""
    logits = ((X - mean) / scale) @ coef.T + intercept  # (N, k)
    logits -= logits.max(axis=1, keepdims=True)  # softmax is shift-invariant; avoids overflow
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)
