"""Griffin-Lim equals librosa's with the same random initial phases."""

from __future__ import annotations

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.speech.griffinlim import griffinlim

librosa = pytest.importorskip("librosa")


@pytest.mark.parametrize(
    ("momentum", "init", "n_iter"), [(0.99, "random", 20), (0.0, "random", 8), (0.5, None, 10)]
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_griffinlim_follows_librosa(momentum, init, n_iter, dtype):
    rng = np.random.default_rng(0)
    y = (np.sin(np.arange(6000) * 0.05) + 0.2 * rng.standard_normal(6000)).astype(dtype)
    S = np.abs(librosa.stft(y, n_fft=512, hop_length=128))
    kw = dict(n_iter=n_iter, hop_length=128, momentum=momentum, init=init, random_state=3)
    ours, ref = griffinlim(S, **kw), librosa.griffinlim(S, **kw)
    assert ours.dtype == ref.dtype
    # float64: measured 2e-13 of the peak after 20 iterations. float32: both round each
    # iterate to float32 at different points (librosa writes STFTs into complex64 buffers);
    # momentum 0.99 amplifies the 1e-7 roundings to 3.4e-4 of the peak after 20 iterations
    tol = 1e-10 if dtype == np.float64 else 1e-3
    assert_parity(
        ours,
        ref,
        reference=reference_version("librosa"),
        rtol=tol,
        atol=tol * float(np.abs(ref).max()),
        name="griffin-lim",
    )
