from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.onnx_export",
    title="ONNX export equal to the native models",
    claim="The phase 2 ColumnTransformer + logistic regression (skl2onnx) and a phase 3 CNN "
    "(torch.onnx) run in onnxruntime with identical labels on the whole test set and "
    "probabilities within 1e-5 (float32); bad input gets a clear error",
    reference="scikit-learn, torch (native models; ours = onnxruntime)",
    demo="phase5_mlops.onnx_export.demo:main",
    parity="phase5_mlops.onnx_export.parity:checks",
    bench="phase5_mlops.onnx_export.bench:run",
    requirements=(
        "numpy",
        "pandas",
        "scikit-learn",
        "torch",
        "onnx",
        "onnxruntime",
        "skl2onnx",
        "palmerpenguins",
        # phase 2's make_model lives in tabular_api.train, whose settings import the service kit
        "fastapi",
        "pydantic-settings",
        "prometheus-client",
    ),
    exercises=("logistic_graph",),
)
