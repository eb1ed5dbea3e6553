"""pocketsphinx, the pretrained baseline: its bundled US-English acoustic model, with its
general language model ("open") or a grammar of our 36-word vocabulary ("vocabulary").

Transcripts are cached under `.cache/speech/` by audio hash and mode: pocketsphinx takes
seconds per utterance on a small CPU, and the demo and the README tables reuse them.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

import numpy as np

from phase0_env.common.paths import cache_dir

from .corpus import SAMPLE_RATE, VOCABULARY

MODES = ("open", "vocabulary")


@cache
def _decoder(mode: str):  # type: ignore[no-untyped-def]
    from pocketsphinx import Decoder

    if mode not in MODES:
        raise ValueError(f"mode {mode!r} must be one of {MODES}")
    decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
    if mode == "vocabulary":
        grammar = (
            "#JSGF V1.0;\ngrammar vocab;\npublic <s> = ( " + " | ".join(VOCABULARY) + " )+ ;\n"
        )
        decoder.add_jsgf_string("vocab", grammar)
        decoder.activate_search("vocab")
    return decoder


def transcribe(audio: np.ndarray, mode: str = "open") -> str:
    """pocketsphinx's lower-case transcript of 16 kHz float audio (cached)."""
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    key = hashlib.sha256(pcm + mode.encode()).hexdigest()[:20]
    path = cache_dir("speech", "pocketsphinx", anchor=__file__) / f"{key}.json"
    if path.exists():
        return str(json.loads(path.read_text())["text"])
    decoder = _decoder(mode)
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    text = " ".join(w for w in (hyp.hypstr if hyp else "").lower().split() if not w.startswith("<"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"text": text, "mode": mode}))
    return text
