"""Text to speech: espeak-ng as the front end, a mel + Griffin-Lim vocoder of ours.

espeak-ng turns text into phonemes, their durations and pitch, and renders them; we keep
only what a neural TTS acoustic model would predict, the 80-band mel spectrogram, and
rebuild the waveform ourselves: the mel bands are mapped back to linear frequency with the
filterbank's pseudo-inverse (negative energies clipped), square-rooted to magnitudes, and
given phases by Griffin-Lim. Intelligibility is measured by recognising the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .espeak import phonemes, synthesize
from .features import mel_filterbank, melspectrogram, stft
from .griffinlim import griffinlim

SAMPLE_RATE = 16_000
N_FFT, HOP, N_MELS = 1024, 256, 80


def mel_frames(audio: np.ndarray) -> np.ndarray:
    """The vocoder's input: mel power spectrogram (N_MELS, frames), float64."""
    return melspectrogram(
        audio.astype(np.float64), sr=SAMPLE_RATE, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS
    )


def vocode(
    mel: np.ndarray, n_iter: int = 48, seed: int = 0, length: int | None = None
) -> np.ndarray:
    """A waveform whose mel spectrogram approximates `mel` (pseudo-inverse + Griffin-Lim)."""
    basis = mel_filterbank(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS).astype(np.float64)
    power = np.maximum(0.0, np.linalg.pinv(basis) @ mel)  # (1 + N_FFT // 2, frames)
    audio = griffinlim(
        np.sqrt(power), n_iter=n_iter, hop_length=HOP, random_state=seed, length=length
    )
    return (0.9 * audio / max(1e-9, float(np.max(np.abs(audio))))).astype(np.float32)


@dataclass(frozen=True)
class Spoken:
    """A synthesised utterance: our waveform, espeak-ng's own, and the phonemes."""

    text: str
    phonemes: str
    audio: np.ndarray
    reference_audio: np.ndarray


def text_to_speech(text: str, voice: str = "en-us", speed: int = 150, n_iter: int = 48) -> Spoken:
    """Speak `text`: espeak-ng's phonemes and timing, our vocoder's waveform."""
    reference = synthesize(text, voice=voice, speed=speed, sample_rate=SAMPLE_RATE)
    audio = vocode(mel_frames(reference), n_iter=n_iter, length=len(reference))
    return Spoken(text, phonemes(text, voice), audio, reference)


def spectral_convergence(ours: np.ndarray, reference: np.ndarray) -> float:
    """|| A - g B ||_F / || A ||_F for the STFT magnitudes A (reference), B (ours) and the
    least-squares gain g (loudness aside); 0 is a perfect match, 1 no better than silence."""
    a = np.abs(stft(reference.astype(np.float64), n_fft=N_FFT, hop_length=HOP))
    b = np.abs(stft(ours.astype(np.float64), n_fft=N_FFT, hop_length=HOP))
    gain = float(np.sum(a * b) / max(1e-30, float(np.sum(b * b))))
    return float(np.linalg.norm(a - gain * b) / np.linalg.norm(a))
