"""An LDA speaker embedding learnt on espeak-ng speakers that never appear in the evaluation.

Window statistics (`speaker_features.window_stats`) mix what a speaker sounds like with what
is being said. Linear discriminant analysis on many training speakers finds the directions
along which speakers differ most relative to how much one speaker varies from window to
window, and whitens the within-speaker scatter: cosine similarity in that space compares
voices, not words. The training speakers use accents, voice variants, pitches and speeds
disjoint from `conversations.SPEAKERS` and its speed range, so the held-out figures measure
generalisation to unseen voices. The fitted projection is cached under `.cache/speech/`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import asdict, dataclass

import numpy as np

from phase0_env.common.paths import cache_dir

from .conversations import SAMPLE_RATE, random_sentence, trim_silence
from .espeak import synthesize
from .speaker_features import frame_features, window_stats

# Disjoint from conversations.SPEAKERS: other accents, other variants, other pitches.
TRAIN_ACCENTS = ("en-us-nyc", "en-gb-x-gbclan", "en-gb-x-gbcwmd")
TRAIN_VARIANTS = (
    "m4", "m5", "m6", "m8", "f5", "adam", "Alex", "Alicia", "Andy", "Annie", "aunty",
    "belinda", "benjamin", "david", "ed", "edward", "linda", "john", "max", "paul",
    "quincy", "rob", "robert", "steph", "zac", "Michael", "Mike", "Lee", "klatt",
    "norbert", "sandro", "shelby", "travis", "victor", "grandma", "grandpa",
)  # fmt: skip
TRAIN_PITCHES = (30, 40, 50, 65, 80, 90)
TRAIN_SPEEDS = (*range(130, 150), *range(186, 201))  # conversations speak at 150-184


@dataclass(frozen=True)
class LDAConfig:
    """Size of the training set and of the embedding."""

    n_speakers: int = 108
    n_mfcc: int = 40  # MFCCs from `n_mels` bands (c0 dropped): 39 + 39 deltas + 2 pitch stats
    n_mels: int = 80
    sentences: int = 4
    window: int = 100  # frames (1 s), as the diarization windows
    step: int = 50
    dims: int = 12
    snr_db: tuple[float, float] = (15.0, 30.0)
    seed: int = 1234


@dataclass(frozen=True)
class SpeakerLDA:
    """Standardise, then project on the discriminant directions."""

    mean: np.ndarray  # (n_stats,)
    scale: np.ndarray  # (n_stats,)
    projection: np.ndarray  # (n_stats, dims)

    def __call__(self, stats: np.ndarray) -> np.ndarray:
        """(n, dims) embeddings of (n, n_stats) window statistics."""
        return ((stats - self.mean) / self.scale) @ self.projection


def train_speakers(n: int, seed: int) -> list[tuple[str, int]]:
    """`n` distinct (voice+variant, pitch) training speakers, seeded."""
    rng = np.random.default_rng(seed)
    pool = list(itertools.product(TRAIN_ACCENTS, TRAIN_VARIANTS))
    picks = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
    return [(f"{pool[i][0]}+{pool[i][1]}", int(rng.choice(TRAIN_PITCHES))) for i in picks]


def training_stats(cfg: LDAConfig) -> tuple[np.ndarray, np.ndarray]:
    """(n_windows, n_stats) window statistics of the training speakers and their labels."""
    rng = np.random.default_rng(cfg.seed)
    xs, ys = [], []
    for label, (voice, pitch) in enumerate(train_speakers(cfg.n_speakers, cfg.seed)):
        clips = []
        for _ in range(cfg.sentences):
            speed = int(rng.choice(TRAIN_SPEEDS))
            clip = synthesize(random_sentence(rng), voice=voice, pitch=pitch, speed=speed)
            clips += [trim_silence(clip), np.zeros(int(0.3 * SAMPLE_RATE), np.float32)]
        audio = np.concatenate(clips).astype(np.float64)
        power = float(np.mean(audio**2))
        snr = rng.uniform(*cfg.snr_db)
        audio += rng.normal(0.0, np.sqrt(power / 10 ** (snr / 10)), size=len(audio))
        frames = frame_features(audio, SAMPLE_RATE, cfg.n_mfcc, cfg.n_mels)
        starts = range(0, len(frames) - cfg.window + 1, cfg.step)
        stats = window_stats(frames, [(a, a + cfg.window) for a in starts])
        xs.append(stats)
        ys.append(np.full(len(stats), label))
    return np.concatenate(xs), np.concatenate(ys)


def fit_lda(x: np.ndarray, y: np.ndarray, dims: int, shrink: float = 1e-3) -> SpeakerLDA:
    """Directions maximising between- over within-speaker scatter (generalised eigenproblem)."""
    mean, scale = x.mean(0), x.std(0) + 1e-8
    z = (x - mean) / scale
    classes = np.unique(y)
    centres = np.stack([z[y == c].mean(0) for c in classes])  # (n_classes, d)
    within = sum(np.cov(z[y == c].T, bias=True) * np.sum(y == c) for c in classes) / len(z)
    between = np.cov(centres.T, bias=True)
    within = within + shrink * np.trace(within) / len(within) * np.eye(len(within))
    # Sb v = l Sw v with Sw = L L^T becomes a symmetric problem in u = L^T v.
    chol = np.linalg.cholesky(within)
    inv = np.linalg.inv(chol)
    vals, vecs = np.linalg.eigh(inv @ between @ inv.T)
    order = np.argsort(vals)[::-1][: min(dims, len(classes) - 1)]
    return SpeakerLDA(mean, scale, inv.T @ vecs[:, order])  # unit within-speaker variance


def load_lda(cfg: LDAConfig | None = None) -> SpeakerLDA:
    """The fitted LDA for `cfg`, from the cache or trained now (about a minute of espeak-ng)."""
    cfg = cfg or LDAConfig()
    key = hashlib.sha256(json.dumps(asdict(cfg), sort_keys=True).encode()).hexdigest()[:12]
    path = cache_dir("speech", anchor=__file__) / f"speaker_lda_{key}.npz"
    if path.exists():
        data = np.load(path)
        return SpeakerLDA(data["mean"], data["scale"], data["projection"])
    lda = fit_lda(*training_stats(cfg), cfg.dims)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, mean=lda.mean, scale=lda.scale, projection=lda.projection)
    return lda
