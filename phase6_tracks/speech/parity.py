"""Parity checks: features and Griffin-Lim equal librosa, the CTC loss equals torch's in value
and gradient, beam-search scores equal torch's CTC likelihoods, WER/CER equal jiwer, and the
diarization error rate equals its reference. Seeded, CPU, a few seconds after imports."""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from typing import Any

import numpy as np

from phase0_env.common.parity import ParityResult, compare, reference_version

Check = Callable[[], ParityResult | list[ParityResult]]


def checks() -> list[ParityResult]:
    out: list[ParityResult] = []
    local: list[Check] = [feature_checks, griffinlim_check, ctc_checks, decoding_check, wer_checks]
    for check in local + _diarization_checks():
        out.extend(_as_list(check()))
    return out


def _as_list(result: ParityResult | list[ParityResult]) -> list[ParityResult]:
    return result if isinstance(result, list) else [result]


def _diarization_checks() -> list[Check]:
    """The diarization part's checks (its `der.DIARIZATION_CHECKS`), when that module exists."""
    try:
        der = importlib.import_module(f"{__package__}.der")
    except ModuleNotFoundError:
        return []
    return list(getattr(der, "DIARIZATION_CHECKS", []))


def _signal(n: int, sr: int, seed: int, dtype: type = np.float64) -> np.ndarray:
    """A chirp plus noise: energy across the whole band, so no mel filter is empty."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    chirp = np.sin(2 * np.pi * (100 * t + 0.5 * (sr / 2.5) * t**2 / t[-1]))
    return (chirp + 0.05 * rng.standard_normal(n)).astype(dtype)


def _real_imag(z: np.ndarray) -> np.ndarray:
    """Complex values as a real array (2, ...): both parts are compared."""
    return np.stack([z.real, z.imag])


def feature_checks() -> list[ParityResult]:
    """STFT, mel filters, log-mel and MFCC against librosa, float64 and float32."""
    import librosa

    from . import features as F

    ref = reference_version("librosa")
    out = []
    for sr, n_fft, hop, win, window, center, pad in (
        (16000, 512, 160, 400, "hann", True, "constant"),
        (22050, 1024, 256, None, "hamming", False, "constant"),
        (8000, 256, 64, 200, "blackman", True, "reflect"),
    ):
        kw: dict[str, Any] = dict(
            n_fft=n_fft,
            hop_length=hop,
            win_length=win,
            window=window,
            center=center,
            pad_mode=pad,
        )
        y = _signal(sr // 2, sr, seed=n_fft)
        label = f"sr {sr}, n_fft {n_fft}, {window}, center={center}"
        # float64 throughout: only FFT summation order differs
        out.append(
            compare(
                f"STFT ({label})",
                _real_imag(F.stft(y, **kw)),
                _real_imag(librosa.stft(y, **kw)),
                reference=ref,
                rtol=1e-9,
                atol=1e-9,
            )
        )
        for htk in (False, True):
            mel_kw: dict[str, Any] = dict(n_mels=40, htk=htk, fmin=20.0)
            out.append(
                compare(
                    f"mel filters ({'htk' if htk else 'slaney'}, sr {sr}, n_fft {n_fft})",
                    F.mel_filterbank(sr=sr, n_fft=n_fft, **mel_kw),
                    librosa.filters.mel(sr=sr, n_fft=n_fft, **mel_kw),
                    reference=ref,
                    exact=True,
                )
            )
        y32 = y.astype(np.float32)
        # float32 input: both compute in float32 after the STFT; dB values are O(100)
        out.append(
            compare(
                f"log-mel dB, float32 ({label})",
                F.log_mel(y32, sr=sr, n_mels=40, **kw),
                librosa.power_to_db(librosa.feature.melspectrogram(y=y32, sr=sr, n_mels=40, **kw)),
                reference=ref,
                rtol=1e-5,
                atol=1e-4,
            )
        )
        out.append(
            compare(
                f"MFCC-13, float64 ({label})",
                F.mfcc(y, sr=sr, n_mfcc=13, n_mels=40, lifter=22, **kw),
                librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, n_mels=40, lifter=22, **kw),
                reference=ref,
                rtol=1e-9,
                atol=1e-9,
            )
        )
    return out


def griffinlim_check() -> ParityResult:
    """Same seed, same iterations: our Griffin-Lim waveform equals librosa's (float64)."""
    import librosa

    from .griffinlim import griffinlim

    y = _signal(8000, 16000, seed=7)
    S = np.abs(librosa.stft(y, n_fft=512, hop_length=128))
    ours = griffinlim(S, n_iter=16, hop_length=128, random_state=0, length=len(y))
    ref = librosa.griffinlim(S, n_iter=16, hop_length=128, random_state=0, length=len(y))
    # 16 iterations of float64 FFTs; differences grow from 1e-16 by the iteration's gain
    return compare(
        "Griffin-Lim 16 iterations, momentum 0.99 (float64)",
        ours,
        ref,
        reference=reference_version("librosa"),
        rtol=1e-8,
        atol=1e-9,
    )


def ctc_checks() -> list[ParityResult]:
    """Loss values per reduction and gradients through log_softmax against torch's ctc_loss."""
    import torch

    from .ctc import ctc_loss

    ref = reference_version("torch") + " ctc_loss"
    gen = torch.Generator().manual_seed(0)
    T, N, C = 40, 5, 7
    logits = torch.randn(T, N, C, generator=gen, dtype=torch.float64)
    logits[:, :, 0] += 2.0  # blank-heavy, as a trained model's outputs are
    targets = torch.tensor(
        [[1, 1, 2, 2, 3], [4, 4, 4, 0, 0], [1, 2, 3, 4, 5], [6, 0, 0, 0, 0], [2, 3, 2, 3, 2]]
    )
    input_lengths, target_lengths = torch.tensor([40, 33, 20, 9, 40]), torch.tensor([5, 3, 5, 1, 5])
    out = []
    for reduction in ("none", "mean", "sum"):
        grads, losses = [], []
        for fn in (ctc_loss, torch.nn.functional.ctc_loss):
            x = logits.clone().requires_grad_()
            loss = fn(
                x.log_softmax(-1), targets, input_lengths, target_lengths, reduction=reduction
            )
            (g,) = torch.autograd.grad(loss.sum(), x)
            losses.append(loss.detach())
            grads.append(g)
        out.append(
            compare(f"CTC loss ({reduction})", losses[0], losses[1], reference=ref, rtol=1e-10)
        )
        out.append(
            compare(
                f"CTC gradient w.r.t. logits ({reduction})",
                grads[0],
                grads[1],
                reference=ref,
                rtol=1e-8,
                atol=1e-12,
            )
        )
    return out


def decoding_check() -> ParityResult:
    """Unpruned prefix beam search scores equal -torch ctc_loss of each returned labeling."""
    import torch

    from .decoding import prefix_beam_search

    gen = torch.Generator().manual_seed(5)
    lp = torch.randn(8, 3, generator=gen, dtype=torch.float64).log_softmax(-1)
    beams = prefix_beam_search(lp.numpy(), beam_width=10_000, prune=-np.inf)[:20]
    ours = np.array([score for _, score in beams])
    ref = np.array(
        [
            -torch.nn.functional.ctc_loss(
                lp[:, None], torch.tensor([list(labels)]), [8], [len(labels)], reduction="sum"
            ).item()
            for labels, _ in beams
        ]
    )
    return compare(
        "prefix beam search: log P(labels) of the 20 best = torch CTC likelihood",
        ours,
        ref,
        reference=reference_version("torch") + " ctc_loss",
        rtol=1e-10,
    )


def wer_checks() -> list[ParityResult]:
    """Corpus WER and CER against jiwer on random sentences with every kind of edit."""
    import jiwer

    from .error_rates import cer, wer

    rng = random.Random(0)
    vocab = ["the", "a", "cat", "dog", "sees", "red", "big", "small", "runs"]
    refs = [" ".join(rng.choices(vocab, k=rng.randint(1, 9))) for _ in range(300)]
    hyps = [" ".join(rng.choices(vocab, k=rng.randint(0, 9))) + "  " for _ in range(300)]
    ref = reference_version("jiwer")
    return [
        compare(
            "WER, 300 random pairs",
            wer(refs, hyps),
            jiwer.wer(refs, hyps),
            reference=ref,
            rtol=1e-12,
        ),
        compare(
            "CER, 300 random pairs",
            cer(refs, hyps),
            jiwer.cer(refs, hyps),
            reference=ref,
            rtol=1e-12,
        ),
    ]
