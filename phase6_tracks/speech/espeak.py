"""Speech with exact transcripts, synthesised by the `espeak-ng` program (a Debian package).

`synthesize` runs espeak-ng once and returns the waveform as float32 in [-1, 1] at the
requested sample rate (espeak-ng speaks at 22,050 Hz; other rates are resampled here).
`phonemes` returns espeak-ng's phoneme string for a text. Results are cached in memory, so
a corpus built twice in one process runs the program once per utterance.
"""

from __future__ import annotations

import functools
import io
import subprocess
import wave

import numpy as np

from phase0_env.common.sysprogs import find_program


class EspeakMissing(RuntimeError):
    """espeak-ng is not installed (its tests skip with this message)."""


def espeak_binary() -> str:
    """Path of espeak-ng, or EspeakMissing with the command that installs it."""
    path = find_program("espeak-ng")
    if path is None:
        raise EspeakMissing("espeak-ng not installed (apt-get install espeak-ng)")
    return path


@functools.lru_cache(maxsize=4096)
def _wav_bytes(text: str, voice: str, speed: int, pitch: int, gap: int) -> bytes:
    cmd = [espeak_binary(), "-v", voice, "-s", str(speed), "-p", str(pitch), "-g", str(gap)]
    cmd += ["-z", "--stdout", text]
    done = subprocess.run(cmd, capture_output=True, check=True, timeout=60)
    return done.stdout


def synthesize(
    text: str,
    *,
    voice: str = "en-us",
    speed: int = 160,
    pitch: int = 50,
    word_gap: int = 0,
    sample_rate: int = 16_000,
) -> np.ndarray:
    """`text` spoken by espeak-ng as a float32 waveform at `sample_rate` Hz."""
    if not text.strip():
        raise ValueError("text to synthesise is empty")
    raw = _wav_bytes(text, voice, int(speed), int(pitch), int(word_gap))
    with wave.open(io.BytesIO(raw)) as wav:
        rate = wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    audio = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if rate != sample_rate:
        audio = resample(audio, rate, sample_rate)
    return audio


def resample(audio: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited resampling by FFT (zero-padding or truncating the spectrum)."""
    n_out = round(len(audio) * rate_out / rate_in)
    spectrum = np.fft.rfft(audio.astype(np.float64))
    keep = n_out // 2 + 1
    out = np.zeros(keep, dtype=np.complex128)
    m = min(keep, len(spectrum))
    out[:m] = spectrum[:m]
    return (np.fft.irfft(out, n_out) * (n_out / len(audio))).astype(np.float32)


@functools.lru_cache(maxsize=4096)
def phonemes(text: str, voice: str = "en-us") -> str:
    """espeak-ng's phoneme mnemonics for `text` (no audio)."""
    cmd = [espeak_binary(), "-v", voice, "-q", "-x", text]
    return subprocess.run(
        cmd, capture_output=True, check=True, text=True, timeout=60
    ).stdout.strip()
