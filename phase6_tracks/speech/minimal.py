"""Speech recognition's core in one file: log-mel features, the CTC loss, greedy decoding.

NumPy only, one utterance at a time, no fast paths. The full versions (features.py, ctc.py,
decoding.py) add batches, window and padding options, gradients and beam search; the tests
check this file against librosa, torch and those full versions.
"""

from __future__ import annotations

import numpy as np


def mel_filters(sr: int, n_fft: int, n_mels: int) -> np.ndarray:
    """Slaney-style triangular mel filters (n_mels, 1 + n_fft // 2), each of unit area."""

    def hz_to_mel(f: float | np.ndarray) -> np.ndarray:  # linear below 1 kHz, logarithmic above
        f = np.asarray(f, dtype=np.float64)
        log_part = 15.0 + np.log(np.maximum(f, 1000.0) / 1000.0) / (np.log(6.4) / 27.0)
        return np.where(f >= 1000.0, log_part, 3.0 * f / 200.0)

    def mel_to_hz(m: np.ndarray) -> np.ndarray:
        return np.where(
            m >= 15.0, 1000.0 * np.exp(np.log(6.4) / 27.0 * (m - 15.0)), 200.0 * m / 3.0
        )

    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)  # (F,)
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2.0), n_mels + 2))  # (M+2,)
    rising = (freqs[None, :] - edges[:-2, None]) / np.diff(edges)[:-1, None]  # (M, F)
    falling = (edges[2:, None] - freqs[None, :]) / np.diff(edges)[1:, None]  # (M, F)
    weights = np.maximum(0.0, np.minimum(rising, falling)).astype(np.float32)
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]  # unit area per filter
    return weights


def log_mel(
    y: np.ndarray, sr: int, n_fft: int = 512, hop: int = 160, n_mels: int = 40
) -> np.ndarray:
    """Log-mel spectrogram in dB (n_mels, frames) of a float64 waveform (n,).

    Centre each frame on sample t * hop (zero-pad n_fft // 2 at both ends), multiply by a
    periodic Hann window, take |rfft|^2, project on `mel_filters`, then 10 log10(max(1e-10, x))
    floored at 80 dB below the maximum.
    Hint: np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop] gives the frames.
    """
    padded = np.pad(y, (n_fft // 2, n_fft // 2))  # (n + n_fft,)
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop]  # (T, n_fft)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)  # (n_fft,)
    power = np.abs(np.fft.rfft(frames * window, axis=-1)) ** 2  # (T, F)
    mel = mel_filters(sr, n_fft, n_mels).astype(np.float64) @ power.T  # (M, T)
    db = 10.0 * np.log10(np.maximum(1e-10, mel))
    return np.maximum(db, db.max() - 80.0)


def ctc_loss(log_probs: np.ndarray, target: list[int], blank: int = 0) -> float:
    """-log P(target | x) summed over all CTC alignments, log_probs (T, C) per frame.

    Interleave blanks (l' = blank, l1, blank, l2, ..., blank; S = 2L + 1), then
    alpha[t, s] = logsumexp(alpha[t-1, s], alpha[t-1, s-1], alpha[t-1, s-2] if allowed)
    + log_probs[t, l'_s]; the skip from s-2 is allowed when l'_s is not blank and differs from
    l'_{s-2}. The loss is -logsumexp(alpha[T-1, S-1], alpha[T-1, S-2]).
    Hint: start from alpha[0, 0] = lp[0, blank], alpha[0, 1] = lp[0, l1], the rest -inf.
    """
    ext = [blank]
    for label in target:
        ext += [label, blank]  # (S,) with S = 2L + 1
    T, S = log_probs.shape[0], len(ext)
    alpha = np.full((T, S), -np.inf)  # (T, S)
    alpha[0, 0] = log_probs[0, blank]
    if S > 1:
        alpha[0, 1] = log_probs[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            terms = [alpha[t - 1, s]]
            if s >= 1:
                terms.append(alpha[t - 1, s - 1])
            if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                terms.append(alpha[t - 1, s - 2])
            alpha[t, s] = np.logaddexp.reduce(terms) + log_probs[t, ext[s]]
    tail = alpha[T - 1, S - 2 :] if S > 1 else alpha[T - 1, :1]
    return float(-np.logaddexp.reduce(tail))


def greedy_decode(log_probs: np.ndarray, blank: int = 0) -> list[int]:
    """Best path of (T, C) log-probabilities: argmax per frame, merge repeats, drop blanks.

    Hint: keep the previous frame's symbol; emit the current one when it differs and is not blank.
    """
    out, previous = [], blank
    for symbol in log_probs.argmax(axis=-1).tolist():  # (T,)
        if symbol != previous and symbol != blank:
            out.append(symbol)
        previous = symbol
    return out
