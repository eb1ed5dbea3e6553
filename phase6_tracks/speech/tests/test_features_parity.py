"""Features against librosa over generated signals, sample rates, windows and padding modes."""

from __future__ import annotations

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.speech import features as F

librosa = pytest.importorskip("librosa")
REF = reference_version("librosa")


def signal(n: int, sr: int, seed: int, dtype=np.float64) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    return (
        np.sin(2 * np.pi * 0.1 * sr * t * t[::-1].clip(0.2)) + 0.1 * rng.standard_normal(n)
    ).astype(dtype)


SETTINGS = [
    (16000, 512, 160, 400, "hann", True, "constant"),
    (16000, 400, 160, None, "hamming", False, "constant"),
    (22050, 2048, 512, None, "hann", True, "reflect"),
    (8000, 256, 80, 256, "blackman", True, "edge"),
    (44100, 1024, 441, 882, "boxcar", True, "constant"),
]


@pytest.mark.parametrize(("sr", "n_fft", "hop", "win", "window", "center", "pad"), SETTINGS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stft_equals_librosa(sr, n_fft, hop, win, window, center, pad, dtype):
    y = signal(sr // 3, sr, n_fft, dtype)
    kw = dict(
        n_fft=n_fft, hop_length=hop, win_length=win, window=window, center=center, pad_mode=pad
    )
    ours, ref = F.stft(y, **kw), librosa.stft(y, **kw)
    assert ours.dtype == ref.dtype
    # both window and transform in float64 then cast: float32 results differ by one rounding
    tol = 1e-9 if dtype == np.float64 else 1e-5
    scale = float(np.abs(ref).max())
    for part in ("real", "imag"):
        assert_parity(
            getattr(ours, part),
            getattr(ref, part),
            reference=REF,
            rtol=tol,
            atol=tol * scale,
            name=f"stft {part}",
        )


@pytest.mark.parametrize("htk", [False, True])
@pytest.mark.parametrize(
    ("sr", "n_fft", "n_mels", "fmin", "fmax"),
    [
        (16000, 512, 40, 0.0, None),
        (22050, 2048, 128, 20.0, 8000.0),
        (8000, 256, 24, 100.0, 3800.0),
    ],
)
def test_mel_filterbank_equals_librosa_exactly(sr, n_fft, n_mels, fmin, fmax, htk):
    for norm in ("slaney", None):
        kw = dict(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
        assert_parity(
            F.mel_filterbank(**kw),
            librosa.filters.mel(**kw),
            reference=REF,
            exact=True,
            name="mel filterbank",
        )


@pytest.mark.parametrize(("sr", "n_fft", "hop", "win", "window", "center", "pad"), SETTINGS)
def test_log_mel_and_mfcc_equal_librosa(sr, n_fft, hop, win, window, center, pad):
    y = signal(sr // 3, sr, 1)
    kw = dict(
        n_fft=n_fft, hop_length=hop, win_length=win, window=window, center=center, pad_mode=pad
    )
    for htk in (False, True):
        ref_mel = librosa.feature.melspectrogram(y=y, sr=sr, n_mels=32, htk=htk, **kw)
        # float64 signal, float32 filters in both: agreement to float64 summation order
        assert_parity(
            F.melspectrogram(y, sr=sr, n_mels=32, htk=htk, **kw),
            ref_mel,
            reference=REF,
            rtol=1e-9,
            name="melspectrogram",
        )
        assert_parity(
            F.log_mel(y, sr=sr, n_mels=32, htk=htk, **kw),
            librosa.power_to_db(ref_mel),
            reference=REF,
            rtol=1e-9,
            atol=1e-9,
            name="log-mel dB",
        )
        for lifter in (0, 22):
            assert_parity(
                F.mfcc(y, sr=sr, n_mfcc=13, n_mels=32, htk=htk, lifter=lifter, **kw),
                librosa.feature.mfcc(
                    y=y, sr=sr, n_mfcc=13, n_mels=32, htk=htk, lifter=lifter, **kw
                ),
                reference=REF,
                rtol=1e-9,
                atol=1e-8,
                name="mfcc",
            )


def test_dct_matrix_is_scipy_dct_ii_ortho():
    from scipy.fft import dct

    x = np.random.default_rng(0).standard_normal((40, 7))
    assert_parity(
        F.dct_ii_ortho(40) @ x,
        dct(x, type=2, norm="ortho", axis=0),
        reference=reference_version("scipy"),
        rtol=1e-10,
        atol=1e-12,
        name="dct-ii",
    )


def test_power_to_db_ref_and_top_db_equal_librosa():
    S = np.abs(np.random.default_rng(2).standard_normal((20, 30))) ** 4
    for top_db in (None, 40.0, 120.0):
        assert_parity(
            F.power_to_db(S, ref=3.0, top_db=top_db),
            librosa.power_to_db(S, ref=3.0, top_db=top_db),
            reference=REF,
            rtol=1e-12,
            name="power_to_db",
        )


@pytest.mark.parametrize("length", [None, 4000, 5000])
def test_istft_equals_librosa(length):
    y = signal(4800, 16000, 3)
    D = librosa.stft(y, n_fft=512, hop_length=128)
    assert_parity(
        F.istft(D, hop_length=128, length=length),
        librosa.istft(D, hop_length=128, length=length),
        reference=REF,
        rtol=1e-9,
        atol=1e-12,
        name="istft",
    )


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="unknown window"):
        F.get_window("kaiser", 16)
    with pytest.raises(ValueError, match="pad_mode"):
        F.stft(np.zeros(100), n_fft=16, pad_mode="wrap")
    with pytest.raises(ValueError, match="shorter than n_fft"):
        F.stft(np.zeros(10), n_fft=16, center=False)
    with pytest.raises(ValueError, match="norm"):
        F.mel_filterbank(sr=16000, n_fft=512, norm="l2")
