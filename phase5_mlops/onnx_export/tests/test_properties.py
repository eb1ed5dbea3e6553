"""Properties over generated penguins: any mix of values, gaps and unseen categories agrees."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase2_tabular.common.tables import PENGUINS as PENGUINS_SPEC
from phase5_mlops.onnx_export.cases import tabular_case
from phase5_mlops.onnx_export.onnx_model import OnnxModel
from phase5_mlops.onnx_export.tabular_export import native_frame

SK = reference_version("scikit-learn")
RTOL, ATOL = 1e-5, 1e-5  # float32 graph vs float64 scikit-learn (see parity.py)


def _value(lo: float, hi: float) -> st.SearchStrategy:
    return st.one_of(st.just(np.nan), st.floats(lo, hi, allow_nan=False))


def _category(allowed: tuple[str, ...]) -> st.SearchStrategy:
    return st.one_of(
        st.none(), st.sampled_from(allowed), st.sampled_from(["", "Biscoe ", "unseen"])
    )


ROW = st.fixed_dictionaries(
    {
        **{c: _value(lo, hi) for c, (lo, hi) in PENGUINS_SPEC.numeric.items()},
        **{c: _category(v) for c, v in PENGUINS_SPEC.categorical.items()},
    }
)


@settings(max_examples=40)
@given(st.lists(ROW, min_size=1, max_size=20))
def test_generated_rows_get_the_native_labels_and_probabilities(rows):
    run, onnx_bytes = tabular_case()
    model = OnnxModel(onnx_bytes)
    X = pd.DataFrame(rows, columns=run.spec.features)
    native = native_frame(X, run.spec)
    proba, ref = model.predict_proba(X), run.pipeline.predict_proba(native)
    assert_parity(proba, ref, reference=SK, rtol=RTOL, atol=ATOL, name="probabilities")
    # A label may differ only where two classes tie within the tolerance.
    top2 = np.sort(ref, axis=1)[:, -2:]
    clear = (top2[:, 1] - top2[:, 0]) > 2 * ATOL
    assert_parity(
        model.predict(X)[clear], run.pipeline.predict(native)[clear], reference=SK, exact=True
    )


@settings(max_examples=20)
@given(st.permutations(PENGUINS_SPEC.features))
def test_column_order_does_not_matter(order):
    run, onnx_bytes = tabular_case()
    model = OnnxModel(onnx_bytes)
    X = run.X_test.iloc[:10]
    assert_parity(
        model.predict_proba(X[list(order)]),
        model.predict_proba(X),
        reference="onnxruntime (spec column order)",
        exact=True,
    )
