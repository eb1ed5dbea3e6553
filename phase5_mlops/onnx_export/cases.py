"""The two exported models, trained once per process (parity, tests, bench and demo share them)."""

from __future__ import annotations

from functools import lru_cache

from .image_export import ImageRun, export_cnn, train_cnn
from .onnx_model import OnnxModel
from .tabular_export import TabularRun, export_tabular, train_tabular


@lru_cache(maxsize=2)
def tabular_case(seed: int = 0) -> tuple[TabularRun, bytes]:
    """Phase 2's penguins pipeline (logistic regression) and its ONNX bytes."""
    run = train_tabular("penguins", "logistic_regression", seed)
    return run, export_tabular(run.pipeline, run.spec)


@lru_cache(maxsize=2)
def image_case(seed: int = 0) -> tuple[ImageRun, bytes]:
    """Phase 3's SmallCNN trained on digits and its ONNX bytes."""
    run = train_cnn(seed)
    return run, export_cnn(run.model)


def session(onnx_bytes: bytes, threads: int | None = None) -> OnnxModel:
    """An `OnnxModel` over serialized ONNX bytes."""
    return OnnxModel(onnx_bytes, threads=threads)
