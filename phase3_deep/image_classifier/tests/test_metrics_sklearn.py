"""Confusion matrix and per-class metrics equal scikit-learn's."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix as sk_cm
from sklearn.metrics import f1_score, precision_recall_fscore_support

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.image_classifier.metrics import (
    confusion_matrix,
    macro_f1,
    per_class_metrics,
    plot_confusion_matrix,
)

SK = reference_version("scikit-learn")


@settings(max_examples=40)
@given(k=st.integers(2, 8), n=st.integers(1, 200), seed=st.integers(0, 10_000))
def test_metrics_equal_sklearn_including_absent_classes(k, n, seed):
    rng = np.random.default_rng(seed)
    y_true, y_pred = rng.integers(0, k, n), rng.integers(0, k, n)
    labels = list(range(k))
    cm = confusion_matrix(y_true, y_pred, k)
    assert_parity(cm, sk_cm(y_true, y_pred, labels=labels), reference=SK, exact=True)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0.0)
    ours = per_class_metrics(cm)
    for name, ref in (("precision", p), ("recall", r), ("f1", f), ("support", s)):
        assert_parity(ours[name], ref, reference=SK, rtol=1e-12, name=name)
    ref_macro = f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0.0)
    assert_parity(macro_f1(y_true, y_pred, k), ref_macro, reference=SK, rtol=1e-12)


def test_confusion_matrix_plot_is_written(tmp_path):
    cm = np.array([[5, 1], [0, 4]])
    path = plot_confusion_matrix(cm, ["a", "b"], tmp_path / "cm.png")
    assert path.stat().st_size > 1000 and path.read_bytes()[:4] == b"\x89PNG"
