"""The minimal version against librosa, torch and the full version, on small seeded inputs."""

import numpy as np
import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.speech import minimal


@pytest.fixture
def tone_and_noise() -> np.ndarray:
    rng = np.random.default_rng(0)
    t = np.arange(8000) / 16000
    return np.sin(2 * np.pi * 440 * t) + 0.1 * rng.standard_normal(8000)


def test_log_mel_equals_librosa(tone_and_noise):
    import librosa

    ours = minimal.log_mel(tone_and_noise, 16000)
    mel = librosa.feature.melspectrogram(
        y=tone_and_noise, sr=16000, n_fft=512, hop_length=160, n_mels=40
    )
    ref = librosa.power_to_db(mel, top_db=80.0)
    # float64 signal; the filters are float32 in both, so only summation order differs (dB)
    assert_parity(
        ours, ref, reference=reference_version("librosa"), rtol=1e-9, atol=1e-9, name="log-mel"
    )


def test_log_mel_equals_full_version(tone_and_noise):
    from phase6_tracks.speech.features import log_mel

    full = log_mel(tone_and_noise, sr=16000, n_fft=512, hop_length=160, n_mels=40)
    assert_parity(
        minimal.log_mel(tone_and_noise, 16000),
        full,
        reference="features.log_mel",
        rtol=1e-9,
        atol=1e-9,
        name="log-mel vs full",
    )


@pytest.mark.parametrize("target", [[1, 2, 3], [2, 2, 2], [1, 1, 3, 3], [4]])
def test_ctc_loss_equals_torch(target):
    gen = torch.Generator().manual_seed(len(target))
    log_probs = torch.randn(12, 5, generator=gen, dtype=torch.float64).log_softmax(-1)
    ref = torch.nn.functional.ctc_loss(
        log_probs[:, None], torch.tensor([target]), [12], [len(target)], reduction="sum"
    )
    assert_parity(
        minimal.ctc_loss(log_probs.numpy(), target),
        ref.item(),
        reference=reference_version("torch") + " ctc_loss",
        rtol=1e-10,
        name="ctc loss",
    )


def test_ctc_loss_equals_full_version():
    from phase6_tracks.speech.ctc import ctc_loss

    gen = torch.Generator().manual_seed(1)
    log_probs = torch.randn(20, 6, generator=gen, dtype=torch.float64).log_softmax(-1)
    target = [3, 3, 5, 1]
    full = ctc_loss(log_probs[:, None], torch.tensor([target]), [20], [4], reduction="sum")
    assert_parity(
        minimal.ctc_loss(log_probs.numpy(), target),
        full.item(),
        reference="ctc.ctc_loss",
        rtol=1e-10,
        name="ctc loss vs full",
    )


def test_greedy_decode_merges_repeats_and_drops_blanks():
    from phase6_tracks.speech.decoding import greedy_decode

    rng = np.random.default_rng(3)
    log_probs = np.log(rng.dirichlet(np.full(4, 0.3), size=50))  # (T, C), blank-heavy peaks
    path = log_probs.argmax(-1).tolist()
    expected = [s for i, s in enumerate(path) if s != 0 and (i == 0 or s != path[i - 1])]
    assert_parity(
        minimal.greedy_decode(log_probs),
        expected,
        reference="best-path definition",
        exact=True,
        name="greedy decode",
    )
    assert_parity(
        minimal.greedy_decode(log_probs),
        greedy_decode(log_probs),
        reference="decoding.greedy_decode",
        exact=True,
        name="greedy vs full",
    )
