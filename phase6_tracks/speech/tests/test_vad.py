"""VAD: frame scores equal scikit-learn's, smoothing rules, held-out F1 beside webrtcvad."""

from __future__ import annotations

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase0_env.common.sysprogs import find_program
from phase6_tracks.speech.vad import (
    HOP_S,
    detect_speech,
    frame_scores,
    frames_to_segments,
    hangover_smooth,
    webrtc_speech,
)

needs_espeak = pytest.mark.skipif(
    find_program("espeak-ng") is None, reason="espeak-ng not installed"
)
SR = 16_000


def test_frame_scores_equal_sklearn():
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    rng = np.random.default_rng(0)
    pred, ref = rng.random(500) < 0.6, rng.random(500) < 0.5
    s = frame_scores(pred, ref)
    assert_parity(
        [s.accuracy, s.precision, s.recall, s.f1],
        [
            accuracy_score(ref, pred),
            precision_score(ref, pred),
            recall_score(ref, pred),
            f1_score(ref, pred),
        ],
        reference=reference_version("scikit-learn"),
        rtol=1e-12,
        name="VAD frame scores",
    )


def test_hangover_drops_blips_and_holds_runs():
    raw = np.array([0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0], dtype=bool)
    out = hangover_smooth(raw, min_speech=2, hangover=3)
    assert out.astype(int).tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0]
    assert frames_to_segments(out) == [(4 * HOP_S, 10 * HOP_S)]


def test_silence_and_stationary_noise_are_not_speech():
    assert not detect_speech(np.zeros(SR), SR).any()
    noise = np.random.default_rng(0).normal(0, 0.05, 3 * SR).astype(np.float32)
    assert detect_speech(noise, SR).mean() < 0.02


def test_tone_burst_in_noise_is_found_with_its_boundaries():
    rng = np.random.default_rng(1)
    audio = rng.normal(0, 0.01, 3 * SR)
    t = np.arange(SR) / SR
    audio[SR : 2 * SR] += 0.3 * np.sign(np.sin(2 * np.pi * 150 * t))  # harmonic-rich, voiced-like
    segments = frames_to_segments(detect_speech(audio, SR))
    assert len(segments) == 1
    start, end = segments[0]
    assert abs(start - 1.0) <= 0.03 and 2.0 <= end <= 2.0 + 0.03 + 10 * HOP_S  # + the hangover


@needs_espeak
@pytest.mark.parametrize("n_speakers", [2, 3])
def test_f1_on_held_out_conversations_is_high_and_near_webrtcvad(n_speakers):
    from phase6_tracks.speech.conversations import make_conversation, speech_mask

    ours, webrtc = [], []
    for seed in (200, 201):  # thresholds were chosen on seeds 0-4
        conv = make_conversation(n_speakers, seed)
        pred = detect_speech(conv.audio, conv.sample_rate)
        truth = speech_mask(conv.segments, len(pred), HOP_S)
        ours.append(frame_scores(pred, truth).f1)
        webrtc.append(frame_scores(webrtc_speech(conv.audio, conv.sample_rate), truth).f1)
    # Behaviour thresholds: F1 >= 0.93, and no more than 0.03 below Google's WebRTC VAD.
    assert np.mean(ours) >= 0.93, ours
    assert np.mean(ours) >= np.mean(webrtc) - 0.03, (ours, webrtc)
