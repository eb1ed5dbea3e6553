"""The corpus is seeded and keeps held-out sentences out of training; training learns."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from phase6_tracks.speech import corpus
from phase6_tracks.speech.espeak import EspeakMissing, espeak_binary


@pytest.fixture(scope="module")
def espeak():
    try:
        espeak_binary()
    except EspeakMissing:
        pytest.skip("espeak-ng not installed")


def test_held_out_sentences_never_appear_in_training():
    train, held_out = corpus.sentence_splits(500, 50, seed=0)
    assert len(set(train)) == 500 and len(set(held_out)) == 50
    assert not set(train) & set(held_out)
    assert corpus.sentence_splits(500, 50, seed=0) == (train, held_out)
    words = {w for s in train for w in s.split()}
    assert words <= set(corpus.VOCABULARY)


def test_unseen_voices_are_not_training_voices():
    assert not set(corpus.TRAIN_VOICES) & set(corpus.UNSEEN_VOICES)


def test_rendering_is_seeded_and_degraded_as_planned(espeak, tmp_path):
    utts = corpus.plan(["the big cat", "a small dog"], corpus.TRAIN_VOICES, seed=3)
    first = corpus.load(utts, cache_dir=tmp_path)
    again = corpus.load(utts, cache_dir=tmp_path)  # from the cache file
    fresh = [corpus.render(u) for u in utts]  # rendered again
    for a, b, c in zip(first, again, fresh, strict=True):
        assert a.dtype == np.float32 and np.array_equal(a, b) and np.array_equal(a, c)
        assert 0.5 < len(a) / corpus.SAMPLE_RATE < 3.0 and np.abs(a).max() <= 0.9 + 1e-6
    clean = replace(utts[0], snr_db=80.0, reverb_rt60=0.0)
    noisy = replace(utts[0], snr_db=10.0, reverb_rt60=0.0)
    silence = slice(0, 1400)  # the 0.1 s of room before speech holds only noise
    assert np.std(corpus.render(noisy)[silence]) > 10 * np.std(corpus.render(clean)[silence])


@pytest.mark.slow
def test_tiny_training_run_lowers_the_ctc_loss(espeak):
    from phase6_tracks.speech.train import QUICK, score, train

    cfg = replace(QUICK, n_train=48, n_test=4, epochs=3)
    data = corpus.build(cfg.n_train, cfg.n_test, cfg.seed)
    model, history = train(cfg, data, log=lambda _: None)
    assert history[-1] < 0.6 * history[0]  # out of the random-init regime, towards blanks
    rates = score(model, data.held_out)
    assert rates["cer"] >= 0.0 and rates["wer"] >= 0.0
