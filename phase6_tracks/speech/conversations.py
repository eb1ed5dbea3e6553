"""Seeded multi-speaker conversations with exact turn boundaries, synthesised by espeak-ng.

Each speaker is one espeak-ng voice (accent + voice variant) at one pitch. A conversation is
a sequence of turns: a random sentence per turn, a pause (or, with some probability, an
overlap) before the next, and white noise at a fixed signal-to-noise ratio over the mix.
A turn's reference segment is the span from its first to its last non-silent synthesised
sample, so the boundaries are exact, not annotated by ear (RTTM-like: start, end, speaker).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .espeak import synthesize

SAMPLE_RATE = 16_000

# (voice, pitch): accents and variants of espeak-ng that sound clearly different.
SPEAKERS: tuple[tuple[str, int], ...] = (
    ("en-us", 35),
    ("en-gb+f3", 70),
    ("en-gb-scotland+m3", 45),
    ("en-029+f2", 60),
    ("en-gb-x-rp+m7", 25),
    ("en-us+f4", 85),
    ("en-gb+m2", 55),
    ("en-gb-scotland+f1", 75),
)

_TEXT = """
    the meeting starts after lunch so please bring the report and the numbers from last week
    we should check the budget again before the client calls tomorrow morning I think the
    new design looks good but the colours are too dark can you send me the files tonight
    yes that works for me let us move the review to friday because the team is away the
    server was slow again today we need more memory and a better plan for the launch
"""
_WORDS = tuple(_TEXT.split())


@dataclass(frozen=True)
class Segment:
    """One speaker's turn: [start, end) in seconds."""

    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class Conversation:
    """A mixed waveform and its exact reference turns."""

    audio: np.ndarray  # (n_samples,) float32
    sample_rate: int
    segments: tuple[Segment, ...]

    @property
    def duration(self) -> float:
        return len(self.audio) / self.sample_rate

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(sorted({s.speaker for s in self.segments}))


def trim_silence(audio: np.ndarray, threshold: float = 1e-3) -> np.ndarray:
    """`audio` without its leading and trailing near-silent samples."""
    loud = np.flatnonzero(np.abs(audio) > threshold)
    if len(loud) == 0:
        return audio[:0]
    return audio[loud[0] : loud[-1] + 1]


def random_sentence(rng: np.random.Generator, n_min: int = 5, n_max: int = 11) -> str:
    """A sentence of random words from a small office vocabulary."""
    n = int(rng.integers(n_min, n_max + 1))
    return " ".join(rng.choice(_WORDS, size=n))


def make_conversation(
    n_speakers: int,
    seed: int,
    *,
    n_turns: int = 16,
    overlap_prob: float = 0.2,
    snr_db: float = 20.0,
    pause: tuple[float, float] = (0.3, 1.2),
    overlap: tuple[float, float] = (0.3, 0.9),
    speaker_pool: tuple[tuple[str, int], ...] = SPEAKERS,
) -> Conversation:
    """A seeded conversation of `n_turns` turns among `n_speakers` distinct speakers."""
    if not 1 <= n_speakers <= len(speaker_pool):
        raise ValueError(f"n_speakers must be in 1..{len(speaker_pool)}, got {n_speakers}")
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(speaker_pool), size=n_speakers, replace=False)
    names = [f"spk{int(i)}" for i in chosen]
    clips: list[tuple[int, np.ndarray, str]] = []  # (start sample, clean clip, speaker)
    cursor, previous = int(0.5 * SAMPLE_RATE), -1
    for turn in range(n_turns):
        # Every speaker speaks at least once; then nobody follows themselves.
        who = turn if turn < n_speakers else int(rng.integers(n_speakers))
        while turn >= n_speakers and who == previous and n_speakers > 1:
            who = int(rng.integers(n_speakers))
        voice, pitch = speaker_pool[int(chosen[who])]
        speed = int(rng.integers(150, 185))
        clip = trim_silence(synthesize(random_sentence(rng), voice=voice, pitch=pitch, speed=speed))
        start = cursor
        if clips and rng.random() < overlap_prob:
            # Start inside the previous turn, but never before it begins.
            prev_start, prev_clip, _ = clips[-1]
            back = int(rng.uniform(*overlap) * SAMPLE_RATE)
            start = max(prev_start + len(prev_clip) // 2, prev_start + len(prev_clip) - back)
        clips.append((start, clip, names[who]))
        cursor = max(cursor, start + len(clip)) + int(rng.uniform(*pause) * SAMPLE_RATE)
        previous = who
    total = cursor + int(0.5 * SAMPLE_RATE)
    mix = np.zeros(total, dtype=np.float64)
    for start, clip, _ in clips:
        mix[start : start + len(clip)] += clip
    speech_power = float(np.mean(np.concatenate([c for _, c, _ in clips]) ** 2))
    noise_std = np.sqrt(speech_power / 10 ** (snr_db / 10))
    mix += rng.normal(0.0, noise_std, size=total)
    peak = float(np.max(np.abs(mix)))
    audio = (mix / max(peak, 1.0)).astype(np.float32)  # avoid clipping, keep the SNR
    segments = tuple(
        Segment(s / SAMPLE_RATE, (s + len(c)) / SAMPLE_RATE, spk) for s, c, spk in clips
    )
    return Conversation(audio, SAMPLE_RATE, segments)


def speech_mask(segments: tuple[Segment, ...], n_frames: int, hop_s: float) -> np.ndarray:
    """(n_frames,) bool: frame i (centre (i + 0.5) * hop_s) lies inside some segment."""
    centres = (np.arange(n_frames) + 0.5) * hop_s
    mask = np.zeros(n_frames, dtype=bool)
    for seg in segments:
        mask |= (centres >= seg.start) & (centres < seg.end)
    return mask
