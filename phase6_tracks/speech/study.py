"""The measured tables of the README: recognition beside pocketsphinx, streaming latency and
accuracy by chunk size, text-to-speech intelligibility; and the spectrogram pictures.

Each function returns a markdown table (and prints nothing), so the demo decides what to show
and where it is written (`phase0_env.common.outputs`: docs/ only with --write-docs).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import baseline
from .corpus import Utterance
from .error_rates import cer, wer
from .lm import CharNGramLM
from .model import CTCRecognizer, lookahead_ms
from .streaming import independent_chunks, stream
from .train import transcribe

Split = tuple[list[Utterance], list[np.ndarray]]


def _row(name: str, cells: list[str]) -> str:
    return f"| {name} | " + " | ".join(cells) + " |"


def recognition_table(
    model: CTCRecognizer, lm: CharNGramLM, splits: dict[str, Split], n_pocketsphinx: int
) -> str:
    """WER / CER of ours (greedy, beam + LM) and pocketsphinx (open, vocabulary grammar)."""
    systems = {
        "ours, greedy": lambda w: transcribe(model, w),
        "ours, beam 8 + 5-gram char LM": lambda w: transcribe(model, w, lm=lm, beam=8),
        "pocketsphinx, its English LM": lambda w: baseline.transcribe(w, "open"),
        "pocketsphinx, our 36-word grammar": lambda w: baseline.transcribe(w, "vocabulary"),
    }
    header = "| system | " + " | ".join(f"{name} WER | CER" for name in splits) + " |"
    lines = [header, "|---" * (1 + 2 * len(splits)) + "|"]
    for system, fn in systems.items():
        cells = []
        for utts, waves in splits.values():
            n = n_pocketsphinx if system.startswith("pocketsphinx") else len(waves)
            refs, hyps = [u.text for u in utts[:n]], [fn(w) for w in waves[:n]]
            cells += [f"{wer(refs, hyps):.3f}", f"{cer(refs, hyps):.3f}"]
        suffix = f" ({n_pocketsphinx} utt.)" if system.startswith("pocketsphinx") else ""
        lines.append(_row(system + suffix, cells))
    return "\n".join(lines)


def streaming_table(model: CTCRecognizer, split: Split, chunks_ms: tuple[int, ...]) -> str:
    """Per chunk size: latency, real-time factor, WER streamed / offline / chunks alone."""
    utts, waves = split
    refs = [u.text for u in utts]
    offline = [transcribe(model, w) for w in waves]
    offline_wer = wer(refs, offline)
    lines = [
        "| chunk (ms) | algorithmic latency (ms) | real-time factor | WER streamed | "
        "WER offline | streamed = offline (utterances) | WER chunks alone (no state) |",
        "|---|---|---|---|---|---|---|",
    ]
    for chunk in chunks_ms:
        results = [stream(model, w, chunk) for w in waves]
        rtf = sum(r.compute_s for r in results) / sum(r.audio_s for r in results)
        same = sum(r.text == o for r, o in zip(results, offline, strict=True))
        alone = wer(refs, [independent_chunks(model, w, chunk) for w in waves])
        lines.append(
            f"| {chunk} | {chunk + lookahead_ms():.0f} | {rtf:.3f} | "
            f"{wer(refs, [r.text for r in results]):.3f} | {offline_wer:.3f} | "
            f"{same}/{len(waves)} | {alone:.3f} |"
        )
    return "\n".join(lines)


def tts_table(model: CTCRecognizer, lm: CharNGramLM, texts: list[str], voice: str) -> str:
    """Recognition of espeak-ng's own audio vs our vocoder's, by ours and pocketsphinx."""
    from .synthesis import spectral_convergence, text_to_speech

    spoken = [text_to_speech(t, voice=voice) for t in texts]
    lines = [
        "| audio | ours (beam + LM) WER | pocketsphinx (grammar) WER | spectral convergence |",
        "|---|---|---|---|",
    ]
    for label, pick in (
        ("espeak-ng waveform", lambda s: s.reference_audio),
        ("our mel + Griffin-Lim vocoder", lambda s: s.audio),
    ):
        ours = [transcribe(model, pick(s), lm=lm, beam=8) for s in spoken]
        ps = [baseline.transcribe(pick(s), "vocabulary") for s in spoken]
        sc = np.mean([spectral_convergence(pick(s), s.reference_audio) for s in spoken])
        lines.append(f"| {label} | {wer(texts, ours):.3f} | {wer(texts, ps):.3f} | {sc:.3f} |")
    return "\n".join(lines)


def spectrogram_figure(path: Path, text: str, voice: str = "en-us") -> Path:
    """Log-mel of espeak-ng's waveform, of our vocoder's, and our model's input features."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .features import log_mel
    from .synthesis import HOP, SAMPLE_RATE, text_to_speech

    spoken = text_to_speech(text, voice=voice)
    fig, axes = plt.subplots(2, 1, figsize=(9, 5), sharex=True)
    for ax, audio, title in (
        (axes[0], spoken.reference_audio, f"espeak-ng ({voice}): {text!r}"),
        (axes[1], spoken.audio, "our vocoder: mel pseudo-inverse + Griffin-Lim (48 iterations)"),
    ):
        db = log_mel(
            audio.astype(np.float64), sr=SAMPLE_RATE, n_fft=1024, hop_length=HOP, n_mels=80
        )
        seconds = db.shape[1] * HOP / SAMPLE_RATE
        ax.imshow(db, origin="lower", aspect="auto", cmap="magma", extent=(0, seconds, 0, 80))
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("mel band")
    axes[1].set_xlabel("seconds")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def posterior_figure(path: Path, model: CTCRecognizer, text: str, audio: np.ndarray) -> Path:
    """The model's input (40 log-mel bands) above its CTC posteriors per 20 ms step."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .model import ALPHABET, features
    from .train import log_probs

    feats, probs = features(audio).T, np.exp(log_probs(model, audio)).T  # (40, T10), (C, T)
    fig, axes = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    seconds = len(audio) / 16_000
    axes[0].imshow(feats, origin="lower", aspect="auto", cmap="magma", extent=(0, seconds, 0, 40))
    axes[0].set_title(f"model input, log-mel dB: {text!r}", fontsize=10)
    axes[0].set_ylabel("mel band")
    axes[1].imshow(
        probs, origin="lower", aspect="auto", cmap="Greys", extent=(0, seconds, 0, len(ALPHABET))
    )
    axes[1].set_yticks(
        np.arange(len(ALPHABET)) + 0.5, ["blank", "space", *ALPHABET[2:]], fontsize=6
    )
    axes[1].set_title(f"CTC posteriors; greedy: {transcribe(model, audio)!r}", fontsize=10)
    axes[1].set_xlabel("seconds")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """(result, seconds) of one call."""
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - started
