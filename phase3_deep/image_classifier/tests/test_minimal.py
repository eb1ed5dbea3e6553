"""The minimal resize and metrics (`minimal.py`) against torch, scikit-learn and the full
`augment.py` / `metrics.py`."""

import numpy as np
import pytest
import torch
from sklearn.metrics import confusion_matrix, f1_score

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.image_classifier import augment, metrics, minimal

TORCH, SKLEARN = reference_version("torch"), reference_version("scikit-learn")


@pytest.mark.parametrize(("size", "out"), [((5, 7), (9, 4)), ((8, 8), (32, 32)), ((6, 3), (6, 3))])
def test_resize_equals_torch_interpolate_and_the_full_resize(size, out):
    img = torch.rand(3, *size, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    got = minimal.resize_bilinear(img, *out)
    want = torch.nn.functional.interpolate(
        img[None], size=out, mode="bilinear", align_corners=False
    )[0]
    # float64 blends of 4 values: rounding only
    assert_parity(
        got, want, reference=f"{TORCH} interpolate", rtol=1e-12, atol=1e-12, name="resize"
    )
    full = augment.resize_bilinear(img.float(), out).double()  # the full version runs in float32
    assert_parity(
        got, full, reference="the full resize_bilinear", rtol=1e-5, atol=1e-6, name="resize vs full"
    )


def test_confusion_matrix_and_macro_f1_equal_sklearn_and_the_full_metrics():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 5, 200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, 5, 200))
    y_pred[y_pred == 4] = 3  # class 4 is never predicted: its precision is 0, as in sklearn
    cm = minimal.confusion_matrix(y_true.tolist(), y_pred.tolist(), 5)
    f1 = minimal.macro_f1(y_true.tolist(), y_pred.tolist(), 5)
    assert_parity(
        cm,
        confusion_matrix(y_true, y_pred, labels=range(5)),
        reference=SKLEARN,
        exact=True,
        name="confusion",
    )
    want = f1_score(y_true, y_pred, average="macro", labels=range(5), zero_division=0)
    assert_parity(f1, want, reference=f"{SKLEARN} f1_score", rtol=1e-12, name="macro f1")
    assert_parity(
        f1,
        metrics.macro_f1(y_true, y_pred, 5),
        reference="the full macro_f1",
        rtol=1e-12,
        name="f1 vs full",
    )
