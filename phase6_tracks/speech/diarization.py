"""Speaker diarization: VAD, windowed MFCC-statistics embeddings, spectral clustering.

1. `vad.detect_speech` finds speech; each speech region is cut into `window_s` windows
   every `step_s` seconds.
2. A window's embedding is the mean and standard deviation of its MFCCs (c1..c19: c0 is
   loudness, not voice), z-scored over the recording and L2-normalised: an "i-vector-lite".
3. Spectral clustering of the cosine affinities; the number of speakers is the largest
   eigengap of the normalised Laplacian (or given).
4. Every speech frame takes the majority label of the windows that cover it; runs of one
   label become the hypothesis turns. Overlapped speech gets one label (its second speaker
   is missed speech in the DER).
"""

from __future__ import annotations

import argparse
import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from phase0_env.common.outputs import WRITE_DOCS_ENV, study_output

from .der import Turn
from .speaker_embedding import LDAConfig, SpeakerLDA, load_lda
from .speaker_features import frame_features, window_stats
from .vad import HOP_S, VADConfig, detect_speech


@dataclass(frozen=True)
class DiarizationConfig:
    """Window sizes and clustering settings (chosen on seeds 0-4; reported on held-out seeds)."""

    window_s: float = 1.0
    step_s: float = 0.5
    max_speakers: int = 6
    prune: float = 0.2  # keep each row's strongest fraction of affinities (denoises the graph)
    embedding: str = "lda"  # "lda" (learnt on other voices) or "stats" (the z-scored baseline)
    pitch_weight: float = 3.0  # "stats" only: the median F0's weight beside 38 MFCC statistics
    resegment_s: float = 0.5  # half-width of the likelihood smoothing; 0 turns resegmentation off
    lda: LDAConfig = field(default_factory=LDAConfig)
    vad: VADConfig = field(default_factory=VADConfig)


def windows(mask: np.ndarray, window: int, step: int) -> list[tuple[int, int]]:
    """[start, end) frame windows covering every speech run of `mask`."""
    out: list[tuple[int, int]] = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    for s, e in zip(edges[::2], edges[1::2], strict=True):
        starts = range(s, max(s + 1, e - window + 1), step)
        out += [(a, min(e, a + window)) for a in starts]
        if out[-1][1] < e:  # the tail the regular grid missed
            out.append((max(s, e - window), e))
    return out


def kmeans(x: np.ndarray, k: int, seed: int = 0, n_init: int = 10, n_iter: int = 100) -> np.ndarray:
    """Labels of the best of `n_init` k-means++ runs (lowest inertia)."""
    rng = np.random.default_rng(seed)
    best, best_inertia = np.zeros(len(x), dtype=np.int64), np.inf
    for _ in range(n_init):
        centres = [x[rng.integers(len(x))]]
        for _ in range(1, k):  # k-means++ seeding: far points are likelier centres
            d2 = np.min(((x[:, None] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
            centres.append(x[rng.choice(len(x), p=d2 / d2.sum())] if d2.sum() > 0 else x[0])
        c = np.array(centres)
        for _ in range(n_iter):
            labels = np.argmin(((x[:, None] - c[None]) ** 2).sum(-1), axis=1)
            new = np.array(
                [x[labels == j].mean(0) if np.any(labels == j) else c[j] for j in range(k)]
            )
            if np.allclose(new, c):
                break
            c = new
        inertia = float(((x - c[labels]) ** 2).sum())
        if inertia < best_inertia:
            best, best_inertia = labels, inertia
    return best


def spectral_clusters(
    emb: np.ndarray, n_speakers: int | None = None, max_speakers: int = 6, prune: float = 0.3
) -> np.ndarray:
    """Cluster labels of L2-normalised embeddings; speaker count by eigengap when not given."""
    n = len(emb)
    if n <= 1:
        return np.zeros(n, dtype=np.int64)
    aff = np.clip(emb @ emb.T, 0.0, None)  # (n, n) cosine similarity, negatives cut
    keep = max(1, int(np.ceil(prune * n)))
    threshold = -np.sort(-aff, axis=1)[:, keep - 1 : keep]  # each row's keep-th largest
    aff = np.where(aff >= threshold, aff, 0.0)
    aff = np.maximum(aff, aff.T)  # symmetric again after row-wise pruning
    deg = aff.sum(1)
    d = 1.0 / np.sqrt(deg + 1e-10)
    lap = np.eye(n) - d[:, None] * aff * d[None, :]
    vals, vecs = np.linalg.eigh(lap)  # ascending eigenvalues
    if n_speakers is None:
        gaps = np.diff(vals[: min(max_speakers, n - 1) + 1])
        n_speakers = int(np.argmax(gaps)) + 1
    spectral = vecs[:, :n_speakers]
    spectral /= np.linalg.norm(spectral, axis=1, keepdims=True) + 1e-10
    return kmeans(spectral, n_speakers)


def resegment(
    features: np.ndarray, speech: np.ndarray, frame_label: np.ndarray, half_width: int
) -> np.ndarray:
    """Frame labels re-drawn from one diagonal Gaussian per speaker, log-likelihoods smoothed.

    Windows blur turn boundaries by up to a window; frame-level likelihoods sharpen them.
    """
    labels = np.unique(frame_label[speech])
    x = features[speech]  # (n_speech, d)
    loglik = np.empty((len(x), len(labels)))
    for j, k in enumerate(labels):
        own = features[frame_label == k]
        mu, var = own.mean(0), own.var(0) + 1e-3
        loglik[:, j] = -0.5 * (((x - mu) ** 2 / var) + np.log(var)).sum(1)
    kernel = np.ones(2 * half_width + 1)
    smooth = np.stack([np.convolve(col, kernel, mode="same") for col in loglik.T], axis=1)
    out = frame_label.copy()
    out[speech] = labels[np.argmax(smooth, axis=1)]
    return out


def embed_stats(stats: np.ndarray, pitch_weight: float) -> np.ndarray:
    """The baseline embedding: MFCC mean+std and median log F0 z-scored over the recording."""
    # Columns of 19 MFCCs + 19 deltas: means 0-37, standard deviations 38-75, then pitch.
    x = np.concatenate([stats[:, :19], stats[:, 38:57], stats[:, -2:-1]], axis=1)
    x = (x - x.mean(0)) / (x.std(0) + 1e-8)
    x[:, -1] *= pitch_weight
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8)


def embed_lda(stats: np.ndarray, lda: SpeakerLDA) -> np.ndarray:
    """LDA embeddings centred on the recording's mean (what all its speakers share), L2-normed."""
    x = lda(stats)
    x = x - x.mean(0)
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8)


def window_embeddings(
    audio: np.ndarray, sample_rate: int, cfg: DiarizationConfig, lda: SpeakerLDA | None = None
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]], np.ndarray]:
    """Speech mask, frame features, speech windows and one embedding per window."""
    speech = detect_speech(audio, sample_rate, cfg.vad)
    # The baseline's 19 MFCCs from 40 mel bands; the LDA's 39 from 80 (it learns which count).
    sizes = (20, 40) if cfg.embedding == "stats" else (cfg.lda.n_mfcc, cfg.lda.n_mels)
    frames = frame_features(audio, sample_rate, *sizes)
    frames = np.pad(frames, ((0, max(0, len(speech) - len(frames))), (0, 0)), mode="edge")
    frames = frames[: len(speech)]
    spans = windows(speech, int(cfg.window_s / HOP_S), int(cfg.step_s / HOP_S))
    if not spans:
        return speech, frames, spans, np.zeros((0, 1))
    if cfg.embedding == "stats":
        stats = window_stats(frames, spans, min_voiced=1)
        return speech, frames, spans, embed_stats(stats, cfg.pitch_weight)
    stats = window_stats(frames, spans)
    return speech, frames, spans, embed_lda(stats, lda or load_lda(cfg.lda))


def diarize(
    audio: np.ndarray,
    sample_rate: int,
    n_speakers: int | None = None,
    config: DiarizationConfig | None = None,
    lda: SpeakerLDA | None = None,
) -> list[Turn]:
    """Hypothesis turns (start s, end s, "S<k>"); `lda` defaults to `load_lda(config.lda)`."""
    cfg = config or DiarizationConfig()
    speech, frames, spans, emb = window_embeddings(audio, sample_rate, cfg, lda)
    if not spans:
        return []
    feats = frames[:, :19]  # MFCC c1..c19 for the resegmentation
    labels = spectral_clusters(emb, n_speakers, cfg.max_speakers, cfg.prune)
    votes = np.zeros((len(speech), int(labels.max()) + 1))
    for (a, b), k in zip(spans, labels, strict=True):
        votes[a:b, k] += 1
    frame_label = np.where(speech, np.argmax(votes, axis=1), -1)
    if cfg.resegment_s > 0 and len(np.unique(labels)) > 1:
        frame_label = resegment(feats, speech, frame_label, int(cfg.resegment_s / HOP_S))
    turns: list[Turn] = []
    change = np.flatnonzero(np.diff(np.concatenate([[-1], frame_label, [-1]])))
    for s, e in itertools.pairwise(change):
        if frame_label[s] >= 0:
            turns.append((s * HOP_S, e * HOP_S, f"S{int(frame_label[s])}"))
    return turns


BASELINE = DiarizationConfig(embedding="stats", prune=0.3)  # the MFCC-statistics pipeline


def evaluate(
    seeds: Sequence[int],
    speakers: Sequence[int] = (2, 3),
    collar: float = 0.25,
    config: DiarizationConfig | None = None,
) -> dict:
    """Mean VAD F1 (ours, webrtcvad) and DER (count estimated / given) over seeded conversations."""
    from .conversations import make_conversation, speech_mask
    from .der import diarization_error
    from .vad import frame_scores, webrtc_speech

    f1: list[float] = []
    webrtc: list[float] = []
    out: dict = {"der": {}, "der_known_count": {}, "count_accuracy": {}, "counts": {}}
    for n in speakers:
        ders, known, counted = [], [], []
        for seed in seeds:
            conv = make_conversation(n, seed)
            ref = [(s.start, s.end, s.speaker) for s in conv.segments]
            speech = detect_speech(conv.audio, conv.sample_rate)
            truth = speech_mask(conv.segments, len(speech), HOP_S)
            f1.append(frame_scores(speech, truth).f1)
            webrtc.append(frame_scores(webrtc_speech(conv.audio, conv.sample_rate), truth).f1)
            hyp = diarize(conv.audio, conv.sample_rate, config=config)
            ders.append(diarization_error(ref, hyp, collar=collar).der)
            counted.append(len({t[2] for t in hyp}) == n)
            out["counts"].setdefault(n, []).append(len({t[2] for t in hyp}))
            known.append(
                diarization_error(
                    ref, diarize(conv.audio, conv.sample_rate, n, config), collar=collar
                ).der
            )
        out["der"][n], out["der_known_count"][n] = float(np.mean(ders)), float(np.mean(known))
        out["count_accuracy"][n] = float(np.mean(counted))
    out["vad_f1"], out["webrtc_f1"] = float(np.mean(f1)), float(np.mean(webrtc))
    return out


def plot_timeline(reference: list[Turn], hypothesis: list[Turn], path: Path, title: str) -> None:
    """Reference and hypothesis turns as two rows of coloured bars (the picture in the docs)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # A mapped hypothesis label "spk3 (S1)" takes the colour of its reference speaker "spk3".
    names = sorted({t[2].split(" ")[0] for t in [*reference, *hypothesis]})
    colour = {spk: f"C{k}" for k, spk in enumerate(names)}
    fig, axes = plt.subplots(2, 1, figsize=(11, 3.2), sharex=True)
    for ax, turns, name in ((axes[0], reference, "reference"), (axes[1], hypothesis, "hypothesis")):
        labels = sorted({t[2] for t in turns})
        for s, e, spk in turns:
            ax.barh(labels.index(spk), e - s, left=s, height=0.8, color=colour[spk.split(" ")[0]])
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylabel(name)
    axes[0].set_title(title)
    axes[1].set_xlabel("time (s)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    """Held-out evaluation table and a timeline picture (to docs/ with --write-docs)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--write-docs", action="store_true", help="write the picture to docs/")
    parser.add_argument("--seeds", type=int, default=10, help="held-out seeds 100..100+N-1")
    args = parser.parse_args(argv)
    if args.write_docs:
        os.environ[WRITE_DOCS_ENV] = "1"
    from .conversations import make_conversation
    from .der import diarization_error

    seeds = range(100, 100 + args.seeds)
    print("| pipeline | speakers | DER (count estimated) | DER (count given) | count correct |")
    print("|---|---|---|---|---|")
    for name, cfg in (("MFCC statistics (baseline)", BASELINE), ("LDA embedding", None)):
        report = evaluate(seeds, config=cfg)
        for n in report["der"]:
            print(
                f"| {name} | {n} | {report['der'][n]:.3f} | {report['der_known_count'][n]:.3f} | "
                f"{report['count_accuracy'][n]:.0%} |"
            )
        print(f"speaker counts found ({name}): {report['counts']}")
    print(
        f"VAD frame F1: ours {report['vad_f1']:.3f}, webrtcvad (mode 3) {report['webrtc_f1']:.3f}"
    )
    conv = make_conversation(3, 100)
    ref = [(s.start, s.end, s.speaker) for s in conv.segments]
    hyp = diarize(conv.audio, conv.sample_rate)
    scored = diarization_error(ref, hyp, collar=0.25)
    hyp = [(s, e, f"{scored.mapping.get(spk, spk)} ({spk})") for s, e, spk in hyp]
    path = study_output(Path(__file__).parent, "diarization_timeline.png")
    plot_timeline(
        ref, hyp, path, f"3-speaker conversation, seed 100: DER {scored.der:.1%} (collar 0.25 s)"
    )
    print(f"timeline: {path}")


if __name__ == "__main__":
    main()
