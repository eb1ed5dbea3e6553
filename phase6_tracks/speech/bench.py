"""Benchmarks: our STFT, log-mel and MFCC against librosa's, and our CTC loss (forward and
backward) against torch's, each at three sizes, same data, same process."""

from __future__ import annotations

from typing import Any

import numpy as np

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version


def run(quick: bool = False) -> list[BenchRow]:
    return feature_rows(quick) + ctc_rows(quick)


def feature_rows(quick: bool) -> list[BenchRow]:
    """Seconds of 16 kHz audio: STFT, log-mel (40 mels) and MFCC-13, ours vs librosa."""
    import librosa

    from . import features as F

    ref = reference_version("librosa")
    kw: dict[str, Any] = dict(n_fft=512, hop_length=160, win_length=400)
    rows = []
    for seconds in sizes(quick, full=(1, 10, 60), small=(1, 3, 10)):
        y = np.random.default_rng(seconds).standard_normal(16000 * seconds).astype(np.float32)
        cases = (
            ("STFT", lambda y=y: F.stft(y, **kw), lambda y=y: librosa.stft(y, **kw)),
            (
                "log-mel 40",
                lambda y=y: F.log_mel(y, sr=16000, n_mels=40, **kw),
                lambda y=y: librosa.power_to_db(
                    librosa.feature.melspectrogram(y=y, sr=16000, n_mels=40, **kw)
                ),
            ),
            (
                "MFCC-13",
                lambda y=y: F.mfcc(y, sr=16000, n_mfcc=13, n_mels=40, **kw),
                lambda y=y: librosa.feature.mfcc(y=y, sr=16000, n_mfcc=13, n_mels=40, **kw),
            ),
        )
        for name, ours, theirs in cases:
            err = float(np.max(np.abs(np.asarray(ours()) - np.asarray(theirs()))))
            rows.append(
                compare(
                    name,
                    f"{seconds} s",
                    ours,
                    theirs,
                    reference=ref,
                    repeats=3 if quick else 5,
                    quality={"max abs diff": err},
                )
            )
    return rows


def ctc_rows(quick: bool) -> list[BenchRow]:
    """CTC loss + gradient, batch 8 over 29 symbols, T frames, targets of T / 4 labels."""
    import torch

    from .ctc import ctc_loss

    ref = reference_version("torch") + " ctc_loss"
    rows = []
    for T in sizes(quick, full=(50, 200, 800), small=(25, 50, 100)):
        gen = torch.Generator().manual_seed(T)
        logits = torch.randn(T, 8, 29, generator=gen)
        targets = torch.randint(1, 29, (8, T // 4), generator=gen)
        lengths, t_lengths = torch.full((8,), T), torch.full((8,), T // 4)

        def step(fn, logits=logits, targets=targets, lengths=lengths, t_lengths=t_lengths):
            x = logits.clone().requires_grad_()
            loss = fn(x.log_softmax(-1), targets, lengths, t_lengths)
            loss.backward()
            return loss.detach(), x.grad

        (l_ours, g_ours), (l_ref, g_ref) = step(ctc_loss), step(torch.nn.functional.ctc_loss)
        quality = {
            "loss diff": abs(float(l_ours - l_ref)),
            "grad max diff": float((g_ours - g_ref).abs().max()),
        }
        rows.append(
            compare(
                "CTC loss fwd+bwd",
                f"T={T}",
                lambda: step(ctc_loss),
                lambda: step(torch.nn.functional.ctc_loss),
                reference=ref,
                repeats=3 if quick else 5,
                quality=quality,
            )
        )
    return rows
