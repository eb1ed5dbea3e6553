"""Frame features for speaker embeddings: MFCCs, their deltas, and log F0 by autocorrelation.

All on the VAD's 10 ms frames (`vad.power_spectrum`), so frame i of every feature is the
same instant. `window_stats` turns a window of frames into one fixed-length vector.
"""

from __future__ import annotations

import numpy as np

from .vad import HOP_S, power_spectrum


def mel_filterbank(sample_rate: int, n_fft: int, n_mels: int = 40) -> np.ndarray:
    """(n_mels, n_fft // 2 + 1) triangular filters evenly spaced on the HTK mel scale."""
    mel = np.linspace(0.0, 2595 * np.log10(1 + (sample_rate / 2) / 700), n_mels + 2)
    hz = 700 * (10 ** (mel / 2595) - 1)  # (n_mels + 2,) filter edges
    freqs = np.fft.rfftfreq(n_fft, 1 / sample_rate)
    lower = (freqs[None, :] - hz[:-2, None]) / (hz[1:-1, None] - hz[:-2, None])
    upper = (hz[2:, None] - freqs[None, :]) / (hz[2:, None] - hz[1:-1, None])
    return np.maximum(0.0, np.minimum(lower, upper))


def mfcc(audio: np.ndarray, sample_rate: int, n_mfcc: int = 20, n_mels: int = 40) -> np.ndarray:
    """(n_frames, n_mfcc) MFCCs on the VAD's 10 ms frames: DCT-II (orthonormal) of log-mel."""
    power = power_spectrum(audio, sample_rate)  # (n_frames, n_fft // 2 + 1)
    fbank = mel_filterbank(sample_rate, 2 * (power.shape[1] - 1), n_mels)
    log_mel = np.log(power @ fbank.T + 1e-10)  # (n_frames, n_mels)
    k, n = np.arange(n_mfcc)[:, None], np.arange(n_mels)[None, :]
    dct = np.cos(np.pi * k * (2 * n + 1) / (2 * n_mels)) * np.sqrt(2 / n_mels)  # (n_mfcc, n_mels)
    dct[0] /= np.sqrt(2)
    return log_mel @ dct.T


def deltas(features: np.ndarray, width: int = 2) -> np.ndarray:
    """(n_frames, d) regression slope over +-`width` frames (the HTK delta formula)."""
    padded = np.pad(features, ((width, width), (0, 0)), mode="edge")
    n = len(features)
    num = sum(
        k * (padded[width + k : width + k + n] - padded[width - k : width - k + n])
        for k in range(1, width + 1)
    )
    return num / (2 * sum(k * k for k in range(1, width + 1)))


def log_pitch(
    audio: np.ndarray, sample_rate: int, frame_s: float = 0.04
) -> tuple[np.ndarray, np.ndarray]:
    """Per 10 ms frame: log F0 (70-400 Hz) by autocorrelation, and its voicing strength (0-1)."""
    hop, win = round(HOP_S * sample_rate), round(frame_s * sample_rate)
    n = len(audio) // hop
    padded = np.pad(audio.astype(np.float64), ((win - hop) // 2, win))
    frames = padded[np.arange(n)[:, None] * hop + np.arange(win)[None, :]]  # (n, win)
    frames = (frames - frames.mean(1, keepdims=True)) * np.hanning(win)
    # Autocorrelation as the inverse FFT of the power spectrum (zero-padded: no wrap-around).
    ac = np.fft.irfft(np.abs(np.fft.rfft(frames, n=2 * win, axis=1)) ** 2, axis=1)[:, :win]
    lo, hi = sample_rate // 400, sample_rate // 70
    norm = ac[:, lo:hi] / (ac[:, :1] + 1e-10)  # (n, hi - lo) normalised by the lag-0 energy
    best = np.argmax(norm, axis=1)
    return np.log(sample_rate / (best + lo)), norm[np.arange(n), best]


def frame_features(
    audio: np.ndarray, sample_rate: int, n_mfcc: int = 40, n_mels: int = 80
) -> np.ndarray:
    """(n_frames, 2 n_mfcc): MFCC c1.. (c0 is loudness, not voice), deltas, log F0, voicing."""
    cep = mfcc(audio, sample_rate, n_mfcc, n_mels)[:, 1:]
    log_f0, voicing = log_pitch(audio, sample_rate)
    n = min(len(cep), len(log_f0))
    return np.concatenate([cep[:n], deltas(cep[:n]), log_f0[:n, None], voicing[:n, None]], axis=1)


def window_stats(
    frames: np.ndarray, spans: list[tuple[int, int]], min_voiced: int = 3
) -> np.ndarray:
    """(n_windows, 2 n_cep + 2) per window: mean and std of MFCCs and deltas, median and spread of
    voiced log F0 (frames with voicing > 0.5; the recording's median where fewer than
    `min_voiced` are voiced)."""
    cep = frames[:, :-2]
    log_f0, voiced = frames[:, -2], frames[:, -1] > 0.5
    rows = []
    for a, b in spans:
        f0 = log_f0[a:b][voiced[a:b]]
        pitch = [np.median(f0), np.std(f0)] if len(f0) >= max(1, min_voiced) else [np.nan, np.nan]
        rows.append(np.concatenate([cep[a:b].mean(0), cep[a:b].std(0), pitch]))
    stats = np.array(rows)
    for col in (-2, -1):
        missing = np.isnan(stats[:, col])
        fill = np.nanmedian(stats[:, col]) if not missing.all() else 0.0
        stats[missing, col] = fill
    return stats
