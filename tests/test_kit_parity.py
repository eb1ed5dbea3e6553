"""The parity helper compares honestly and explains a miss."""

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, behaviour, compare, reference_version


def test_equal_arrays_pass_with_zero_error():
    r = compare("same", np.arange(5.0), np.arange(5.0), reference="numpy")
    assert r.passed and r.max_error == 0.0


def test_relative_tolerance_is_applied_to_the_reference():
    ref = np.array([1.0, 1000.0])
    assert compare("x", ref * (1 + 5e-8), ref, reference="r", rtol=1e-7).passed
    assert not compare("x", ref * (1 + 5e-7), ref, reference="r", rtol=1e-7).passed


def test_failure_message_names_reference_worst_element_and_tolerance():
    with pytest.raises(AssertionError) as err:
        assert_parity(
            [1.0, 2.0, 3.5], [1.0, 2.0, 3.0], reference="scipy 1.0", rtol=1e-3, name="stat"
        )
    msg = str(err.value)
    assert "scipy 1.0" in msg and "worst at (2,)" in msg and "rtol 0.001" in msg


def test_shape_mismatch_and_nan_mismatch_fail():
    assert not compare("s", np.zeros(3), np.zeros(4), reference="r").passed
    assert not compare("n", [np.nan, 1.0], [0.0, 1.0], reference="r").passed
    assert compare("n", [np.nan, 1.0], [np.nan, 1.0], reference="r").passed


def test_exact_mode_counts_differences():
    r = compare("labels", [0, 1, 2, 2], [0, 1, 1, 2], reference="r", exact=True)
    assert not r.passed and r.max_error == 1.0 and "first at (2,)" in r.detail


def test_behaviour_and_reference_version():
    assert behaviour("ok", True).passed and not behaviour("bad", False).passed
    assert reference_version("numpy") == f"numpy {np.__version__}"
    assert reference_version("not-a-real-package-xyz") == "not-a-real-package-xyz"
