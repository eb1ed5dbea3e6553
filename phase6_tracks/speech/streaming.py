"""Chunked recognition: audio arrives in pieces, partial transcripts come back after each.

`StreamingRecognizer` keeps the samples not yet framed, the log-mel steps seen so far, the
GRU state and the outputs emitted. After each chunk it emits every step whose look-ahead
(two convolution steps) has arrived; `finish()` pads the end with zeros as the offline
forward pass does. So the streamed log-probabilities equal the offline ones and greedy
decoding gives the same text: streaming costs latency (chunk + look-ahead), not accuracy.
`independent_chunks` is the contrast: each chunk decoded alone, no state carried.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from .decoding import greedy_decode
from .model import HOP, LOOKAHEAD_STEPS, N_FFT, SAMPLE_RATE, STACK, CTCRecognizer, decode, features


class StreamingRecognizer:
    """Feed float32 16 kHz samples with `accept`; read `text` at any time; call `finish`."""

    def __init__(self, model: CTCRecognizer):
        self.model = model
        self.samples = np.zeros(0, dtype=np.float32)  # not yet consumed by a full frame
        self.frames10: list[np.ndarray] = []  # 10 ms log-mel frames not yet stacked
        self.steps = torch.zeros(0, STACK * model.config.n_mels)  # normalised 20 ms steps
        self.emitted = 0  # steps already passed through the GRU
        self.state: torch.Tensor | None = None
        self.log_probs: list[np.ndarray] = []
        self.finished = False

    @torch.no_grad()
    def accept(self, chunk: np.ndarray) -> str:
        """Add samples; return the transcript so far (greedy, final for emitted steps)."""
        if self.finished:
            raise RuntimeError("stream already finished")
        self.samples = np.concatenate([self.samples, np.asarray(chunk, dtype=np.float32)])
        n_frames = 0 if len(self.samples) < N_FFT else 1 + (len(self.samples) - N_FFT) // HOP
        if n_frames:
            # frame k covers samples [k HOP, k HOP + N_FFT): the same values offline computes
            self.frames10.extend(features(self.samples[: (n_frames - 1) * HOP + N_FFT]))
            self.samples = self.samples[n_frames * HOP :]
        n_steps = len(self.frames10) // STACK
        if n_steps:
            stacked = np.stack(self.frames10[: n_steps * STACK])[None]  # (1, 2 n, M)
            new = self.model.stack(torch.from_numpy(stacked))[0]  # (n, 2M)
            self.steps = torch.cat([self.steps, new])
            self.frames10 = self.frames10[n_steps * STACK :]
        self._advance(final=False)
        return self.text

    @torch.no_grad()
    def finish(self) -> str:
        """No more audio: emit the last steps (zero look-ahead past the end); final text."""
        self._advance(final=True)
        self.finished = True
        return self.text

    @property
    def text(self) -> str:
        if not self.log_probs:
            return ""
        return decode(greedy_decode(np.concatenate(self.log_probs)))

    def _advance(self, final: bool) -> None:
        n = len(self.steps)
        ready = n if final else n - LOOKAHEAD_STEPS  # output j needs input steps up to j + 2
        lo, hi = self.emitted, ready
        if hi <= lo:
            return
        # conv2 output [lo, hi) needs conv1 outputs [lo-1, hi+1), which need steps [lo-2, hi+2);
        # positions outside [0, n) are the zeros the offline padding supplies.
        x = _window(self.steps, lo - 2, hi + 2)  # (hi - lo + 4, 2M)
        h = torch.relu(self.model.conv1(x.T[None]))  # (1, H, hi - lo + 2): conv1 [lo-1, hi+1)
        idx = torch.arange(lo - 1, hi + 1)
        h = h * ((idx >= 0) & (idx < n)).to(h.dtype)  # conv2's zero padding, not conv1(0)
        h = torch.relu(self.model.conv2(h)).transpose(1, 2)  # (1, hi - lo, H)
        out, self.state = self.model.gru(h, self.state)
        self.log_probs.append(self.model.out(out).log_softmax(-1)[0].numpy())
        self.emitted = hi


def _window(steps: torch.Tensor, start: int, stop: int) -> torch.Tensor:
    """steps[start:stop] with zero rows where the range leaves [0, len(steps))."""
    n, d = steps.shape
    left, right = max(0, -start), max(0, stop - n)
    core = steps[max(0, start) : min(n, stop)]
    return torch.cat([torch.zeros(left, d), core, torch.zeros(right, d)])


@dataclass(frozen=True)
class StreamResult:
    text: str
    partials: list[str]
    compute_s: float
    audio_s: float


def stream(model: CTCRecognizer, audio: np.ndarray, chunk_ms: float) -> StreamResult:
    """Recognise `audio` fed in chunks of `chunk_ms`; the partial text after every chunk."""
    rec, size = StreamingRecognizer(model), max(1, int(SAMPLE_RATE * chunk_ms / 1000))
    partials, started = [], time.perf_counter()
    for start in range(0, len(audio), size):
        partials.append(rec.accept(audio[start : start + size]))
    text = rec.finish()
    return StreamResult(text, partials, time.perf_counter() - started, len(audio) / SAMPLE_RATE)


@torch.no_grad()
def independent_chunks(model: CTCRecognizer, audio: np.ndarray, chunk_ms: float) -> str:
    """Each chunk recognised on its own (no carried state): the baseline state carry beats."""
    size = int(SAMPLE_RATE * chunk_ms / 1000)
    texts = []
    for start in range(0, len(audio), size):
        piece = audio[start : start + size]
        frames = features(piece)
        if len(frames) >= STACK:
            lp, _ = model(torch.from_numpy(frames)[None])
            texts.append(decode(greedy_decode(lp[0].numpy())))
    return " ".join(" ".join(texts).split())
