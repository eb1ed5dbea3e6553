"""Griffin-Lim phase recovery: a waveform whose STFT magnitude matches a given one.

The fast variant of Perraudin et al. (2013), as librosa runs it: alternate inverse STFT and
STFT, keep the rebuilt phase, and push each estimate away from the previous one by
`momentum / (1 + momentum)`. With the same random initial phases (a NumPy `RandomState`
seed) it follows librosa's iterates step for step.
"""

from __future__ import annotations

import numpy as np

from .features import istft, stft


def griffinlim(
    S: np.ndarray,
    *,
    n_iter: int = 32,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: str = "hann",
    center: bool = True,
    length: int | None = None,
    pad_mode: str = "constant",
    momentum: float = 0.99,
    init: str | None = "random",
    random_state: int | None = None,
) -> np.ndarray:
    """A waveform whose STFT magnitude approximates `S` (1 + n_fft // 2, frames)."""
    if momentum < 0.0:
        raise ValueError(f"momentum={momentum} must be non-negative")
    n_fft = 2 * (S.shape[-2] - 1)
    complex_dtype = np.complex64 if S.dtype == np.float32 else np.complex128
    eps = np.finfo(complex_dtype).tiny  # keeps |angles| = 0 bins finite
    if init == "random":
        rng = np.random.RandomState(random_state)
        angles = np.exp(2j * np.pi * rng.random_sample(size=S.shape)).astype(complex_dtype)
    elif init is None:
        angles = np.ones(S.shape, dtype=complex_dtype)
    else:
        raise ValueError(f"init={init!r} must be 'random' or None")
    angles *= S
    kwargs = {"hop_length": hop_length, "win_length": win_length, "window": window}
    previous = None
    for _ in range(n_iter):
        inverse = istft(angles, center=center, length=length, **kwargs)  # type: ignore[arg-type]
        rebuilt = stft(inverse, n_fft=n_fft, center=center, pad_mode=pad_mode, **kwargs)  # type: ignore[arg-type]
        angles = rebuilt.copy()
        if previous is not None:  # the "fast" step: extrapolate from the last estimate
            angles -= (momentum / (1 + momentum)) * previous
        angles /= np.abs(angles) + eps
        angles *= S
        previous = rebuilt
    return istft(angles, center=center, length=length, **kwargs)  # type: ignore[arg-type]
