"""Speaker features and the LDA embedding: deltas against librosa, LDA against its definition
and scikit-learn, and training speakers disjoint from the evaluation speakers."""

from __future__ import annotations

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.speech import conversations
from phase6_tracks.speech.speaker_embedding import (
    TRAIN_ACCENTS,
    TRAIN_PITCHES,
    TRAIN_SPEEDS,
    LDAConfig,
    fit_lda,
    train_speakers,
)
from phase6_tracks.speech.speaker_features import deltas


def test_deltas_equal_librosa_inside_the_edges():
    librosa = pytest.importorskip("librosa")
    x = np.random.default_rng(0).normal(size=(50, 7))
    ref = librosa.feature.delta(x, width=5, axis=0)
    # librosa extends the edges by polynomial interpolation, we repeat the edge frame.
    assert_parity(
        deltas(x, 2)[2:-2],
        ref[2:-2],
        reference=reference_version("librosa"),
        rtol=1e-9,
        atol=1e-12,
        name="HTK deltas, width 5",
    )


def _blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    mix = rng.normal(size=(6, 6))  # correlated, unequally scaled features
    centres = rng.normal(scale=2.0, size=(5, 6))
    x = np.concatenate([c + rng.normal(size=(40, 6)) @ mix for c in centres])
    return x, np.repeat(np.arange(5), 40)


def test_lda_whitens_within_speaker_scatter_and_diagonalises_between():
    x, y = _blobs()
    lda = fit_lda(x, y, dims=4, shrink=0.0)
    z = lda(x)
    within = sum(np.cov(z[y == c].T, bias=True) * 40 for c in range(5)) / len(z)
    between = np.cov(np.stack([z[y == c].mean(0) for c in range(5)]).T, bias=True)
    np.testing.assert_allclose(within, np.eye(4), atol=1e-9)
    off = between - np.diag(np.diag(between))
    np.testing.assert_allclose(off, 0.0, atol=1e-9)
    assert np.all(np.diff(np.diag(between)) <= 1e-12)  # strongest direction first


def test_lda_subspace_equals_scikit_learn():
    sklearn_lda = pytest.importorskip("sklearn.discriminant_analysis")
    x, y = _blobs(1)
    ours = fit_lda(x, y, dims=4, shrink=0.0)(x)
    ref = sklearn_lda.LinearDiscriminantAnalysis(solver="eigen").fit(x, y).transform(x)
    # Both span the same discriminant directions; scale and sign differ, so compare the
    # projections of the centred data onto each other's column space (principal angles).
    qa = np.linalg.qr(ours - ours.mean(0))[0]
    qb = np.linalg.qr(ref - ref.mean(0))[0]
    cosines = np.linalg.svd(qa.T @ qb, compute_uv=False)
    assert_parity(
        cosines,
        np.ones(4),
        reference=reference_version("scikit-learn"),
        rtol=0,
        atol=1e-8,
        name="LDA subspace (cosines of principal angles)",
    )


def test_training_speakers_are_disjoint_from_the_evaluation_speakers():
    eval_accents = {v.split("+")[0] for v, _ in conversations.SPEAKERS}
    eval_variants = {v.split("+")[1] for v, _ in conversations.SPEAKERS if "+" in v}
    eval_pitches = {p for _, p in conversations.SPEAKERS}
    speakers = train_speakers(LDAConfig().n_speakers, LDAConfig().seed)
    assert len(set(speakers)) == len(speakers) == LDAConfig().n_speakers
    for voice, pitch in speakers:
        accent, variant = voice.split("+")
        assert accent in TRAIN_ACCENTS and accent not in eval_accents
        assert variant not in eval_variants and pitch not in eval_pitches
    assert not set(TRAIN_PITCHES) & eval_pitches
    assert not set(TRAIN_SPEEDS) & set(range(150, 185))  # make_conversation's speeds
