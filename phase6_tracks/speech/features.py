"""Audio features from NumPy alone: windows, STFT, mel filterbank, log-mel and MFCC.

Conventions follow librosa (its defaults, its array layout `(..., freq, frames)`), so every
function here is checked equal to its librosa counterpart in `tests/test_features_parity.py`.
Sums run in float64 and results are cast back to the input's precision, as librosa does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

PAD_MODES = ("constant", "reflect", "edge", "symmetric")
# Cosine-sum coefficients a_k of w[n] = sum_k (-1)^k a_k cos(2 pi k n / N) (periodic windows).
_COSINE_WINDOWS = {
    "hann": (0.5, 0.5),
    "hamming": (0.54, 0.46),
    "blackman": (0.42, 0.50, 0.08),
    "boxcar": (1.0,),
}


def get_window(window: str | np.ndarray, win_length: int) -> np.ndarray:
    """A periodic (FFT-ready) window of `win_length` samples, float64.

    >>> get_window("hann", 4)  # 0.5 - 0.5 cos(2 pi n / 4)
    array([0. , 0.5, 1. , 0.5])
    """
    if isinstance(window, np.ndarray):
        if window.shape != (win_length,):
            raise ValueError(f"window array has shape {window.shape}, expected ({win_length},)")
        return window.astype(np.float64)
    name = {"hanning": "hann", "rectangular": "boxcar", "ones": "boxcar"}.get(window, window)
    if name not in _COSINE_WINDOWS:
        raise ValueError(f"unknown window {window!r}; known: {sorted(_COSINE_WINDOWS)}")
    n = np.arange(win_length, dtype=np.float64)
    w = np.zeros(win_length)
    for k, a in enumerate(_COSINE_WINDOWS[name]):
        w += (-1) ** k * a * np.cos(2.0 * np.pi * k * n / win_length)
    return w


def pad_center(w: np.ndarray, size: int) -> np.ndarray:
    """`w` zero-padded on both sides to `size` (the extra sample, if odd, goes right)."""
    left = (size - len(w)) // 2
    if left < 0:
        raise ValueError(f"window of {len(w)} samples is longer than n_fft={size}")
    return np.pad(w, (left, size - len(w) - left))


def _complex_dtype(dtype: np.dtype) -> type:
    return np.complex64 if dtype == np.float32 else np.complex128


def frame(y: np.ndarray, n_fft: int, hop_length: int) -> np.ndarray:
    """Overlapping frames of the last axis: (..., n) -> (..., n_fft, n_frames), a view."""
    if y.shape[-1] < n_fft:
        raise ValueError(f"signal of {y.shape[-1]} samples is shorter than n_fft={n_fft}")
    frames = np.lib.stride_tricks.sliding_window_view(y, n_fft, axis=-1)  # (..., n-n_fft+1, n_fft)
    return np.swapaxes(frames[..., ::hop_length, :], -1, -2)  # (..., n_fft, n_frames)


def stft(
    y: np.ndarray,
    *,
    n_fft: int = 2048,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: str | np.ndarray = "hann",
    center: bool = True,
    pad_mode: str = "constant",
) -> np.ndarray:
    """Short-time Fourier transform: (..., n) -> complex (..., 1 + n_fft // 2, n_frames)."""
    win_length = win_length or n_fft
    hop_length = hop_length or win_length // 4
    if pad_mode not in PAD_MODES:
        raise ValueError(f"pad_mode {pad_mode!r} not supported; use one of {PAD_MODES}")
    w = pad_center(get_window(window, win_length), n_fft)  # (n_fft,)
    x = np.asarray(y)
    if center:  # frame t is centred on sample t * hop_length
        pad = [(0, 0)] * (x.ndim - 1) + [(n_fft // 2, n_fft // 2)]
        x = np.pad(x, pad, mode=pad_mode)  # type: ignore[call-overload]
    frames = frame(x.astype(np.float64), n_fft, hop_length)  # (..., n_fft, T)
    spectrum = np.fft.rfft(frames * w[:, None], axis=-2)  # (..., 1 + n_fft // 2, T)
    return spectrum.astype(_complex_dtype(x.dtype))


def istft(
    stft_matrix: np.ndarray,
    *,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: str | np.ndarray = "hann",
    center: bool = True,
    length: int | None = None,
) -> np.ndarray:
    """Inverse STFT by weighted overlap-add, divided by the summed squared window."""
    n_fft = 2 * (stft_matrix.shape[-2] - 1)
    win_length = win_length or n_fft
    hop_length = hop_length or win_length // 4
    w = pad_center(get_window(window, win_length), n_fft)
    n_frames = stft_matrix.shape[-1]
    frames = np.fft.irfft(stft_matrix.astype(np.complex128), n=n_fft, axis=-2) * w[:, None]
    total = n_fft + hop_length * (n_frames - 1)
    y = np.zeros((*stft_matrix.shape[:-2], total))
    norm = np.zeros(total)
    for t in range(n_frames):
        y[..., t * hop_length : t * hop_length + n_fft] += frames[..., t]
        norm[t * hop_length : t * hop_length + n_fft] += w**2
    start = n_fft // 2 if center else 0
    stop = start + length if length is not None else total - start
    y, norm = y[..., start:stop], norm[start:stop]
    if y.shape[-1] < (stop - start):  # asked for more samples than the frames cover
        extra = stop - start - y.shape[-1]
        y = np.pad(y, [(0, 0)] * (y.ndim - 1) + [(0, extra)])
        norm = np.pad(norm, (0, extra))
    tiny = np.finfo(np.float32 if stft_matrix.dtype == np.complex64 else np.float64).tiny
    nonzero = norm > tiny
    y[..., nonzero] /= norm[nonzero]
    return y.astype(np.float32 if stft_matrix.dtype == np.complex64 else np.float64)


def hz_to_mel(freq: np.ndarray | float, *, htk: bool = False) -> np.ndarray:
    """Hertz to mels: HTK's 2595 log10(1 + f / 700), or Slaney's linear-then-log scale."""
    f = np.asarray(freq, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0  # linear below 1 kHz, 200/3 Hz per mel
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    safe = np.maximum(f, min_log_hz)  # log only where used
    return np.where(f >= min_log_hz, min_log_mel + np.log(safe / min_log_hz) / logstep, f / f_sp)


def mel_to_hz(mels: np.ndarray | float, *, htk: bool = False) -> np.ndarray:
    """Mels to hertz, the inverse of `hz_to_mel`."""
    m = np.asarray(mels, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filterbank(
    *,
    sr: int,
    n_fft: int,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
    norm: str | None = "slaney",
    dtype: type = np.float32,
) -> np.ndarray:
    """Triangular mel filters, (n_mels, 1 + n_fft // 2); slaney norm: each has unit area."""
    if norm not in ("slaney", None):
        raise ValueError(f"norm {norm!r} not supported; use 'slaney' or None")
    fmax = sr / 2.0 if fmax is None else fmax
    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)  # (F,) bin centre frequencies
    edges = mel_to_hz(
        np.linspace(hz_to_mel(fmin, htk=htk), hz_to_mel(fmax, htk=htk), n_mels + 2), htk=htk
    )  # (n_mels + 2,): each filter rises from edges[i] to edges[i+1], falls to edges[i+2]
    widths = np.diff(edges)  # (n_mels + 1,)
    ramps = edges[:, None] - fft_freqs[None, :]  # (n_mels + 2, F)
    lower = -ramps[:-2] / widths[:-1, None]  # (n_mels, F)
    upper = ramps[2:] / widths[1:, None]
    # Rounded to `dtype` before and after the area scaling, as librosa stores them.
    weights = np.maximum(0.0, np.minimum(lower, upper)).astype(dtype)
    if norm == "slaney":
        weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights


def melspectrogram(
    y: np.ndarray,
    *,
    sr: int = 22050,
    n_fft: int = 2048,
    hop_length: int = 512,
    win_length: int | None = None,
    window: str | np.ndarray = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    power: float = 2.0,
    **mel_kwargs: Any,
) -> np.ndarray:
    """|STFT|^power projected on the mel filters: (..., n) -> (..., n_mels, frames)."""
    spec = stft(
        y,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
    )
    magnitude = np.abs(spec) ** power  # (..., F, T), in the input's precision like librosa
    basis = mel_filterbank(sr=sr, n_fft=n_fft, **mel_kwargs)  # type: ignore[arg-type]
    out = np.einsum("mf,...ft->...mt", basis.astype(np.float64), magnitude.astype(np.float64))
    return out.astype(np.result_type(magnitude.dtype, basis.dtype))


def power_to_db(
    S: np.ndarray, *, ref: float = 1.0, amin: float = 1e-10, top_db: float | None = 80.0
) -> np.ndarray:
    """10 log10(S / ref), floored at `amin` and clipped to `top_db` below the peak."""
    S = np.asarray(S)
    log_spec = 10.0 * np.log10(np.maximum(amin, S)) - 10.0 * np.log10(max(amin, abs(ref)))
    if top_db is not None:
        if top_db < 0:
            raise ValueError("top_db must be non-negative")
        log_spec = np.maximum(log_spec, log_spec.max() - top_db)
    return log_spec.astype(S.dtype) if S.dtype.kind == "f" else log_spec


def log_mel(y: np.ndarray, *, sr: int, top_db: float | None = 80.0, **kwargs: Any) -> np.ndarray:
    """Log-mel spectrogram in decibels, (..., n_mels, frames)."""
    return power_to_db(melspectrogram(y, sr=sr, **kwargs), top_db=top_db)  # type: ignore[arg-type]


def dct_ii_ortho(n: int) -> np.ndarray:
    """The orthonormal DCT-II matrix D (n, n): X = D @ x, so D @ D.T = I."""
    k = np.arange(n)[:, None]  # (n, 1) output index
    i = np.arange(n)[None, :]  # (1, n) input index
    d = np.cos(np.pi * k * (2 * i + 1) / (2 * n)) * np.sqrt(2.0 / n)
    d[0] /= np.sqrt(2.0)
    return d


def mfcc(
    y: np.ndarray, *, sr: int = 22050, n_mfcc: int = 20, lifter: float = 0.0, **kwargs: Any
) -> np.ndarray:
    """Mel-frequency cepstral coefficients: DCT-II (ortho) of the log-mel, (..., n_mfcc, T)."""
    S = log_mel(y, sr=sr, **kwargs)  # (..., n_mels, T)
    D = dct_ii_ortho(S.shape[-2])[:n_mfcc]  # (n_mfcc, n_mels)
    M = np.einsum("km,...mt->...kt", D, S.astype(np.float64))
    if lifter > 0:
        k = np.arange(1, n_mfcc + 1, dtype=np.float64)
        M *= (1.0 + (lifter / 2.0) * np.sin(np.pi * k / lifter))[:, None]
    elif lifter < 0:
        raise ValueError("lifter must be non-negative")
    return M.astype(S.dtype)
