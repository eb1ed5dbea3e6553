"""A spoken corpus with exact transcripts: seeded sentences read by espeak-ng voices.

Sentences come from a small grammar over a 40-word vocabulary; a fixed set of them is held
out (never spoken in training). Each utterance draws a voice, speed and pitch, then seeded
white noise (an SNR in dB) and, for half of them, reverberation (a decaying-noise room
response). Audio is cached under `.cache/speech/` keyed by every setting, so a corpus is
synthesised once per machine.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from phase0_env.common.paths import cache_dir as project_cache

from .espeak import synthesize

SAMPLE_RATE = 16_000
DETERMINERS = ("the", "a", "my", "your", "one", "this")
ADJECTIVES = ("red", "big", "small", "green", "old", "happy", "quick", "blue", "little")
NOUNS = ("cat", "dog", "bird", "fish", "horse", "house", "boat", "tree", "car", "ball")
VERBS = ("sees", "likes", "finds", "has", "wants", "jumps over", "runs to", "eats", "hears")
VOCABULARY = sorted(
    {w for group in (DETERMINERS, ADJECTIVES, NOUNS, VERBS) for p in group for w in p.split()}
)
# Voices the recogniser trains on, and voices it never hears in training (accent and timbre).
TRAIN_VOICES = ("en-us", "en-gb+m3", "en-029+f2", "en-us+f4", "en-gb+m1")
UNSEEN_VOICES = ("en-gb-scotland+m5", "en-gb-x-rp+f3", "en-us+m7")


def sentence(rng: random.Random) -> str:
    """One sentence: determiner [adjective] noun verb determiner [adjective] noun."""
    words = []
    for part in ("subject", "verb", "object"):
        if part == "verb":
            words.append(rng.choice(VERBS))
            continue
        words.append(rng.choice(DETERMINERS))
        if rng.random() < 0.6:
            words.append(rng.choice(ADJECTIVES))
        words.append(rng.choice(NOUNS))
    return " ".join(words)


def sentence_splits(n_train: int, n_held_out: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Distinct training and held-out sentences; no held-out sentence is in training."""
    rng, seen, ordered = random.Random(seed), set(), list[str]()
    while len(ordered) < n_train + n_held_out:
        s = sentence(rng)
        if s not in seen:
            seen.add(s)
            ordered.append(s)
    return ordered[n_held_out:], ordered[:n_held_out]


@dataclass(frozen=True)
class Utterance:
    """How one utterance is spoken and degraded."""

    text: str
    voice: str
    speed: int
    pitch: int
    snr_db: float
    reverb_rt60: float  # seconds; 0 means dry
    seed: int


def plan(texts: list[str], voices: tuple[str, ...], seed: int) -> list[Utterance]:
    """A seeded speaking plan for `texts`: voice, speed 130-190 wpm, pitch, noise, reverb."""
    rng = random.Random(seed)
    return [
        Utterance(
            text=t,
            voice=rng.choice(voices),
            speed=rng.randint(130, 190),
            pitch=rng.randint(30, 70),
            snr_db=round(rng.uniform(15.0, 35.0), 1),
            reverb_rt60=round(rng.uniform(0.1, 0.4), 2) if rng.random() < 0.5 else 0.0,
            seed=rng.randrange(2**31),
        )
        for t in texts
    ]


def render(u: Utterance) -> np.ndarray:
    """The utterance's waveform (float32, 16 kHz): espeak-ng, then reverb, then noise."""
    audio = synthesize(u.text, voice=u.voice, speed=u.speed, pitch=u.pitch).astype(np.float64)
    rng = np.random.default_rng(u.seed)
    audio = np.concatenate([np.zeros(1600), audio, np.zeros(1600)])  # 0.1 s of room either side
    if u.reverb_rt60 > 0:
        audio = reverberate(audio, u.reverb_rt60, rng)
    noise = rng.standard_normal(len(audio))
    signal_power = np.mean(audio**2) + 1e-12
    audio = audio + noise * np.sqrt(signal_power / 10 ** (u.snr_db / 10))
    return (0.9 * audio / max(1e-6, np.max(np.abs(audio)))).astype(np.float32)


def reverberate(audio: np.ndarray, rt60: float, rng: np.random.Generator) -> np.ndarray:
    """Convolve with a room response: a direct path plus noise decaying 60 dB in `rt60` s."""
    n = int(rt60 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    response = rng.standard_normal(n) * 10 ** (-3.0 * t / rt60) * 0.3
    response[0] = 1.0
    out = np.fft.irfft(
        np.fft.rfft(audio, len(audio) + n) * np.fft.rfft(response, len(audio) + n),
        len(audio) + n,
    )
    return out[: len(audio)]


def load(utterances: list[Utterance], cache_dir: Path | None = None) -> list[np.ndarray]:
    """Rendered waveforms of `utterances`, read from or written to the corpus cache."""
    cache_dir = cache_dir or project_cache("speech", anchor=__file__)
    key = hashlib.sha256(json.dumps([asdict(u) for u in utterances]).encode()).hexdigest()[:16]
    path = cache_dir / f"corpus-{key}.npz"
    if path.exists():
        with np.load(path) as data:
            flat, offsets = data["audio"], data["offsets"]
        return [flat[a:b] for a, b in itertools.pairwise(offsets)]
    waves = [render(u) for u in utterances]
    cache_dir.mkdir(parents=True, exist_ok=True)
    offsets = np.cumsum([0] + [len(w) for w in waves])
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, audio=np.concatenate(waves), offsets=offsets)
    tmp.replace(path)
    return waves


@dataclass(frozen=True)
class Corpus:
    """Training, held-out-sentence and unseen-voice sets as (utterances, waveforms)."""

    train: tuple[list[Utterance], list[np.ndarray]]
    held_out: tuple[list[Utterance], list[np.ndarray]]
    unseen_voices: tuple[list[Utterance], list[np.ndarray]]


def build(n_train: int, n_test: int, seed: int = 0) -> Corpus:
    """Seeded corpus: n_train training utterances, n_test per test set (same held-out texts)."""
    train_texts, test_texts = sentence_splits(n_train, n_test, seed)
    sets = []
    for texts, voices, offset in (
        (train_texts, TRAIN_VOICES, 1),
        (test_texts, TRAIN_VOICES, 2),
        (test_texts, UNSEEN_VOICES, 3),
    ):
        utts = plan(texts, voices, seed * 100 + offset)
        sets.append((utts, load(utts)))
    return Corpus(*sets)
