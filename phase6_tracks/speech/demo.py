"""Demo: features and CTC beside their references; the recogniser on held-out sentences and
unseen voices beside pocketsphinx; streaming by chunk size; the text-to-speech round trip.

Full mode trains (or loads from `.cache/speech/`) the recogniser of the default settings and
writes `speech_report.md` and the spectrogram picture to `study_dir` (docs/ with
--write-docs). Quick mode (under 30 s on an idle CPU once espeak-ng audio is cached) uses a
cached full model when there is one, else trains a tiny model for a few seconds: it shows the
pipeline running end to end, not the accuracy.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from phase0_env.common.outputs import study_output

HERE = Path(__file__).resolve().parent


def main(quick: bool = False) -> None:
    import torch

    torch.set_num_threads(1)  # tiny recurrent steps: threads cost more than they give
    started = time.perf_counter()
    _parity_summary(quick)
    try:
        from .espeak import espeak_binary

        espeak_binary()
    except RuntimeError as missing:
        print(f"\n{missing}: skipping recognition, streaming and synthesis")
        return
    report = _speech(quick)
    if not quick:
        out = study_output(HERE, "speech_report.md")
        out.write_text(report)
        print(f"\nreport written to {out}")
    print(f"\ndone in {time.perf_counter() - started:.1f} s")


def _parity_summary(quick: bool) -> None:
    """One line per check of parity.py's feature, CTC, decoding and WER groups."""
    from .parity import ctc_checks, decoding_check, feature_checks, griffinlim_check, wer_checks

    print("== from scratch vs reference (max abs error / tolerance) ==")
    results = feature_checks()[: 5 if quick else None] + ctc_checks()[:2]
    results += [decoding_check(), *wer_checks()]
    if not quick:
        results.append(griffinlim_check())
    for r in results:
        status = "ok " if r.passed else "BAD"
        print(f"  {status} {r.name:<62} {r.max_error:9.2g} / {r.tolerance:.2g}  ({r.reference})")


def _speech(quick: bool) -> str:
    from . import study
    from .corpus import build
    from .model import lookahead_ms
    from .train import QUICK, TrainConfig, cached_path, language_model, train, trained_model

    if not quick or cached_path(TrainConfig()).exists():
        model, data = trained_model(TrainConfig())
        n_ps, label = (12, "full") if not quick else (0, "cached full")
    else:
        tiny = replace(QUICK, n_train=48, n_test=8, epochs=3)
        data = build(tiny.n_train, tiny.n_test, tiny.seed)
        print("\n== no cached full model: a tiny one, 48 utterances x 3 epochs ==")
        model, _ = train(tiny, data)
        n_ps, label = 0, "tiny (untrained-quality)"
    lm = language_model(data)
    splits = {"held-out sentences": data.held_out, "unseen voices": data.unseen_voices}
    if quick:
        splits = {k: (u[:8], w[:8]) for k, (u, w) in splits.items()}
    print(f"\n== recognition ({label} model), WER / CER ==")
    rec = (
        study.recognition_table(model, lm, splits, n_ps) if n_ps else _ours_only(model, lm, splits)
    )
    print(rec)
    chunks = (160, 640) if quick else (80, 160, 320, 640, 1280)
    print(f"\n== streaming (look-ahead {lookahead_ms():.0f} ms), held-out sentences ==")
    held = splits["held-out sentences"]
    stream_md = study.streaming_table(model, (held[0][:24], held[1][:24]), chunks)
    print(stream_md)
    texts = [u.text for u in data.held_out[0][: 3 if quick else 6]]
    print("\n== text to speech: espeak-ng front end, our vocoder, recognised back ==")
    tts_md = study.tts_table(model, lm, texts, voice="en-us") if not quick else "(full mode)"
    print(tts_md)
    picture = study.spectrogram_figure(study_output(HERE, "spectrogram.png"), texts[0])
    posteriors = study.posterior_figure(
        study_output(HERE, "ctc_posteriors.png"), model, held[0][0].text, held[1][0]
    )
    print(f"pictures: {picture}, {posteriors}")
    return (
        "# Speech report (written by `python -m phase6_tracks.speech`)\n\n"
        f"Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n\n"
        f"## Recognition, WER / CER\n\n{rec}\n\n"
        f"## Streaming (look-ahead {lookahead_ms():.0f} ms)\n\n{stream_md}\n\n"
        f"## Text to speech\n\n{tts_md}\n\n![spectrograms](spectrogram.png)\n\n"
        "## What the model hears and says\n\n![CTC posteriors](ctc_posteriors.png)\n"
    )


def _ours_only(model, lm, splits) -> str:  # type: ignore[no-untyped-def]
    from .error_rates import wer
    from .train import transcribe

    lines = []
    for name, (utts, waves) in splits.items():
        refs = [u.text for u in utts]
        greedy = wer(refs, [transcribe(model, w) for w in waves])
        beam = wer(refs, [transcribe(model, w, lm=lm, beam=8) for w in waves])
        lines.append(f"  {name}: WER greedy {greedy:.3f}, beam + LM {beam:.3f} ({len(refs)} utt.)")
    return "\n".join(lines)
