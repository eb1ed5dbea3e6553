"""onnxruntime against the native models on the whole held-out test sets.

Both ONNX graphs compute in float32 while scikit-learn computes in float64 (and torch's and
onnxruntime's float32 kernels sum in different orders), so values are compared within
float32 tolerances and labels exactly.
"""

from __future__ import annotations

import numpy as np

from phase0_env.common.parity import ParityResult, compare, reference_version

from .cases import image_case, session, tabular_case
from .image_export import native_probabilities
from .tabular_export import edge_rows, native_frame

# float32 rounding of inputs, scaler and a 9-term dot product (tabular) or of the softmax of
# float32 logits (CNN): seen up to 6e-7 absolute and 4e-6 relative, so 1e-5 of each.
PROBA_RTOL, PROBA_ATOL = 1e-5, 1e-5
# CNN logits are sums of hundreds of float32 products in a kernel-specific order: seen 3e-6
# absolute on logits up to ~6, so 1e-5 absolute plus 1e-5 relative.
LOGIT_RTOL, LOGIT_ATOL = 1e-5, 1e-5


def checks() -> list[ParityResult]:
    """Labels identical and probabilities within float32 tolerance, tabular and CNN."""
    return tabular_checks() + image_checks()


def tabular_checks() -> list[ParityResult]:
    """The skl2onnx pipeline vs scikit-learn on the test split, the train split and edge rows."""
    run, onnx_bytes = tabular_case()
    model = session(onnx_bytes)
    ref = reference_version("scikit-learn")
    out = []
    for label, X in (
        (f"test split ({len(run.X_test)} rows)", run.X_test),
        (f"train split ({len(run.X_train)} rows)", run.X_train),
        ("edge rows: NaN numerics, missing and unseen categories", edge_rows(run.spec)),
    ):
        native = native_frame(X, run.spec)
        out.append(
            compare(
                f"penguins pipeline {label}: labels",
                model.predict(X),
                run.pipeline.predict(native),
                reference=ref,
                exact=True,
            )
        )
        out.append(
            compare(
                f"penguins pipeline {label}: probabilities",
                model.predict_proba(X),
                run.pipeline.predict_proba(native),
                reference=ref,
                rtol=PROBA_RTOL,
                atol=PROBA_ATOL,
            )
        )
    return out


def image_checks() -> list[ParityResult]:
    """The torch.onnx CNN vs torch (eval mode) on every held-out digit."""
    run, onnx_bytes = image_case()
    got = session(onnx_bytes).run(run.X_test)
    logits, proba = native_probabilities(run.model, run.X_test)
    ref = reference_version("torch")
    n = len(run.X_test)
    return [
        compare(
            f"SmallCNN digits test split ({n} images): labels",
            np.argmax(got["probabilities"], axis=1),
            np.argmax(proba, axis=1),
            reference=ref,
            exact=True,
        ),
        compare(
            f"SmallCNN digits test split ({n} images): logits",
            got["logits"],
            logits,
            reference=ref,
            rtol=LOGIT_RTOL,
            atol=LOGIT_ATOL,
        ),
        compare(
            f"SmallCNN digits test split ({n} images): probabilities",
            got["probabilities"],
            proba,
            reference=ref,
            rtol=PROBA_RTOL,
            atol=PROBA_ATOL,
        ),
    ]
