"""Demo: export both models, reload them from disk, compare with the native models, time them."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from .cases import image_case, tabular_case
from .onnx_model import OnnxModel
from .parity import checks
from .tabular_export import export_tabular, native_frame, train_tabular

OUT = Path("artifacts") / "phase5_mlops" / "onnx_export"


def main(quick: bool = False) -> None:
    """Write the .onnx files under artifacts/, print parity, latency and a rejected request."""
    tab, tab_bytes = tabular_case()
    img, img_bytes = image_case()
    OUT.mkdir(parents=True, exist_ok=True)
    paths = {"penguins_pipeline.onnx": tab_bytes, "digits_cnn.onnx": img_bytes}
    for name, data in paths.items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT / name} ({len(data) / 1024:.1f} KiB)")
    tab_model = OnnxModel(OUT / "penguins_pipeline.onnx")
    img_model = OnnxModel(OUT / "digits_cnn.onnx")
    print(f"\nCNN test accuracy (torch): {img.test_accuracy:.3f} on {len(img.y_test)} digits")
    acc = float(np.mean(img_model.predict(img.X_test).astype(int) == img.y_test))
    print(f"CNN test accuracy (onnxruntime): {acc:.3f}")

    print("\nParity with the native models (whole test splits):")
    for r in checks():
        mark = "pass" if r.passed else "FAIL"
        print(f"  {mark}  {r.name}: max error {r.max_error:.3g} (tolerance {r.tolerance:.3g})")

    row = tab.X_test.iloc[:1]
    print("\nOne penguin, batch 1 latency (median of 50):")
    print(f"  onnxruntime  {_ms(lambda: tab_model.predict_proba(row)):.3f} ms")
    print(f"  scikit-learn {_ms(lambda: tab.pipeline.predict_proba(row)):.3f} ms")
    print(f"  prediction: {tab_model.predict(row)[0]} (truth {tab.y_test.iloc[0]})")

    _tree_trap()

    print("\nA request with a misspelt column is refused before it reaches the graph:")
    bad = row.rename(columns={"island": "islnd"})
    try:
        tab_model.predict(bad)
    except ValueError as err:
        print(f"  ValueError: {err}")


def _tree_trap() -> None:
    """Why the exported family is logistic regression: a forest in float32 drifts."""
    forest = train_tabular(family="random_forest")
    model = OnnxModel(export_tabular(forest.pipeline, forest.spec))
    native = native_frame(forest.X_test, forest.spec)
    proba = model.predict_proba(forest.X_test)
    same = np.mean(model.predict(forest.X_test) == forest.pipeline.predict(native))
    # The same forest fed numerics imputed and scaled in float32, as the ONNX graph does.
    pre, trees = forest.pipeline.named_steps["preprocess"], forest.pipeline.named_steps["model"]
    impute, scale = (pre.named_transformers_["num"].named_steps[s] for s in ("impute", "scale"))
    x = native[list(forest.spec.numeric)].to_numpy(np.float32)
    x = np.where(np.isnan(x), impute.statistics_.astype(np.float32), x)
    features = pre.transform(native)
    features[:, : x.shape[1]] = (x - scale.mean_.astype(np.float32)) * (1 / scale.scale_).astype(
        np.float32
    )
    print("\nThe same export of phase 2's random forest (float32 scaler before float32 splits):")
    print(
        f"  labels equal on {same:.1%} of the test split; probabilities off by up to "
        f"{np.abs(proba - forest.pipeline.predict_proba(native)).max():.3g}"
    )
    print(
        "  scikit-learn's forest on float32-scaled numerics vs onnxruntime: "
        f"{np.abs(proba - trees.predict_proba(features)).max():.3g} (the whole gap)"
    )


def _ms(fn: object, n: int = 50) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))
