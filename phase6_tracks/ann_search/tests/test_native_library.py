"""Loading the compiled inner loops leaves the process's floating-point state alone."""

import numpy as np

from phase6_tracks.ann_search import native


def test_loading_the_library_keeps_subnormal_floats():
    native.lib()
    # A library linked with -ffast-math would have set flush-to-zero for the whole process.
    # 1e-39 is below float32's smallest normal (1.18e-38): flushed to zero under FTZ/DAZ.
    assert np.float32(1e-38) / np.float32(10) > 0
    assert np.array([1e-310]) * 1.0 > 0  # a float64 subnormal survives arithmetic
