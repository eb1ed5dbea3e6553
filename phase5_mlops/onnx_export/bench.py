"""Benchmark: onnxruntime (ours) against native scikit-learn / torch at batch 1, 32 and 1024.

Same rows, same process. The tabular case times DataFrame in, probabilities out on both
sides (the `OnnxModel` input checks included); the CNN case times an array of images to
probabilities. Every runtime gets one thread: on a shared 2-core machine onnxruntime's
spinning pool and torch's OpenMP pool otherwise starve each other and the ratios are noise.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import torch

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .cases import image_case, session, tabular_case
from .image_export import native_probabilities
from .tabular_export import native_frame


def run(quick: bool = False) -> list[BenchRow]:
    """Rows for the penguins pipeline and the digits CNN at three batch sizes, one thread."""
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            return _rows(quick)
    finally:
        torch.set_num_threads(previous)


def _rows(quick: bool) -> list[BenchRow]:
    rng = np.random.default_rng(0)
    tab, tab_bytes = tabular_case()
    img, img_bytes = image_case()
    tab_model, img_model = session(tab_bytes, threads=1), session(img_bytes, threads=1)
    all_rows = pd.concat([tab.X_train, tab.X_test], ignore_index=True)
    repeats = 3 if quick else 7
    rows = []
    for batch in sizes(quick, full=(1, 32, 1024), small=(1, 32, 1024)):
        X = all_rows.iloc[rng.integers(0, len(all_rows), batch)].reset_index(drop=True)
        native = native_frame(X, tab.spec)
        diff = np.abs(tab_model.predict_proba(X) - tab.pipeline.predict_proba(native)).max()
        rows.append(
            compare(
                "penguins pipeline predict_proba",
                batch,
                partial(tab_model.predict_proba, X),
                partial(tab.pipeline.predict_proba, native),
                reference=reference_version("scikit-learn"),
                repeats=repeats,
                quality={"max_abs_diff": float(diff)},
            )
        )
        images = img.X_test[rng.integers(0, len(img.X_test), batch)]
        diff = np.abs(img_model.predict_proba(images) - native_probabilities(img.model, images)[1])
        rows.append(
            compare(
                "SmallCNN digits probabilities",
                batch,
                partial(img_model.predict_proba, images),
                partial(_torch_proba, img.model, images),
                reference=reference_version("torch"),
                repeats=repeats,
                quality={"max_abs_diff": float(diff.max())},
            )
        )
    return rows


def _torch_proba(model: torch.nn.Module, images: np.ndarray) -> np.ndarray:
    return native_probabilities(model, images)[1]
