"""Diarization: features against librosa, clustering on known blobs, DER of the pipeline."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase0_env.common.sysprogs import find_program
from phase6_tracks.speech.diarization import diarize, spectral_clusters, windows
from phase6_tracks.speech.speaker_features import log_pitch, mel_filterbank

needs_espeak = pytest.mark.skipif(
    find_program("espeak-ng") is None, reason="espeak-ng not installed"
)
SR = 16_000


@pytest.mark.parametrize(("sr", "n_fft", "n_mels"), [(16_000, 512, 40), (22_050, 1024, 64)])
def test_mel_filterbank_equals_librosa_htk(sr, n_fft, n_mels):
    librosa = pytest.importorskip("librosa")
    ref = librosa.filters.mel(
        sr=sr, n_fft=n_fft, n_mels=n_mels, htk=True, norm=None, dtype=np.float64
    )
    assert_parity(
        mel_filterbank(sr, n_fft, n_mels),
        ref,
        reference=reference_version("librosa"),
        rtol=1e-7,
        atol=1e-10,
        name="HTK mel filterbank",
    )


@pytest.mark.parametrize("f0", [90.0, 150.0, 260.0])
def test_log_pitch_finds_the_fundamental_of_a_harmonic_tone(f0):
    t = np.arange(SR) / SR
    tone = sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, 6))
    log_f0, voicing = log_pitch(tone, SR)
    inner = slice(5, -5)  # edge frames are half padding
    # 0.5 is where `embed` calls a frame voiced; the Hann window tapers long lags (low F0) most.
    assert np.all(voicing[inner] > 0.5)
    assert np.median(np.abs(np.exp(log_f0[inner]) / f0 - 1)) < 0.03


def test_spectral_clustering_recovers_separated_blobs_and_their_count():
    rng = np.random.default_rng(0)
    centres = np.eye(8)[:3] * 3
    x = np.concatenate([c + 0.3 * rng.normal(size=(20, 8)) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labels = spectral_clusters(x)
    truth = np.repeat(np.arange(3), 20)
    assert len(np.unique(labels)) == 3
    # Same partition up to renaming: each true cluster maps to exactly one label.
    assert all(len(np.unique(labels[truth == k])) == 1 for k in range(3))


def test_windows_cover_every_speech_frame():
    mask = np.zeros(400, dtype=bool)
    mask[10:50] = mask[100:333] = True
    spans = windows(mask, 100, 50)
    covered = np.zeros_like(mask)
    for a, b in spans:
        covered[a:b] = True
        assert mask[a:b].all()
    assert np.array_equal(covered, mask)


@needs_espeak
def test_conversation_turns_are_exact_and_seeded():
    from phase6_tracks.speech.conversations import make_conversation

    a, b = make_conversation(3, 7), make_conversation(3, 7)
    assert np.array_equal(a.audio, b.audio) and a.segments == b.segments
    assert len(a.speakers) == 3
    clean_gap = make_conversation(2, 7, snr_db=200.0, overlap_prob=0.0)
    for seg in clean_gap.segments:  # each turn starts and ends on a non-silent sample
        first, last = round(seg.start * SR), round(seg.end * SR) - 1
        assert abs(clean_gap.audio[first]) > 0 and abs(clean_gap.audio[last]) > 0


@pytest.fixture(scope="module")
def small_lda():
    """An LDA fitted in-session on 48 training speakers x 2 sentences (about 12 s of espeak-ng)."""
    from phase6_tracks.speech.speaker_embedding import LDAConfig, fit_lda, training_stats

    cfg = LDAConfig(n_speakers=48, sentences=2)
    return fit_lda(*training_stats(cfg), cfg.dims)


@needs_espeak
def test_pipeline_der_on_held_out_conversations(small_lda):
    from phase6_tracks.speech.conversations import make_conversation
    from phase6_tracks.speech.der import diarization_error

    der: dict[tuple[int, str], list[float]] = {}
    for n, seed in itertools.product((2, 3), (200, 201)):  # settings were chosen on seeds 0-4
        conv = make_conversation(n, seed)
        ref = [(s.start, s.end, s.speaker) for s in conv.segments]
        for mode, given in (("estimated", None), ("given", n)):
            hyp = diarize(conv.audio, SR, given, lda=small_lda)
            der.setdefault((n, mode), []).append(diarization_error(ref, hyp, collar=0.25).der)
    # Measured with this LDA: 2 speakers 0.05 / 0.08; 3 speakers with the count given 0.10 /
    # 0.12, estimated 0.10 / 0.37 (one conversation counted as two). Thresholds leave room for
    # other espeak-ng builds; the held-out table in docs/diarization.md has the full model.
    assert np.mean(der[2, "estimated"]) <= 0.15, der
    assert np.mean(der[3, "given"]) <= 0.20, der
    assert np.mean(der[3, "estimated"]) <= 0.35, der
