"""The acoustic model: log-mel frames -> per-frame character log-probabilities for CTC.

Features: 40 log-mel bands (dB, no clipping to the peak, so each frame depends only on its
own 25 ms window) every 10 ms, two frames stacked into one 20 ms step. Then two
convolutions of width 3 (each sees one step ahead) and a unidirectional GRU, so the model's
look-ahead is bounded: 2 steps (40 ms) plus the analysis window's last 15 ms. That bound is
what lets `streaming.py` produce exactly the offline output chunk by chunk.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from .features import log_mel

ALPHABET = "_ 'abcdefghijklmnopqrstuvwxyz"  # index 0 is the CTC blank
SAMPLE_RATE = 16_000
N_FFT, HOP = 400, 160  # 25 ms windows every 10 ms
STACK = 2  # 10 ms frames per model step
LOOKAHEAD_STEPS = 2  # one per width-3 convolution


def lookahead_ms() -> float:
    """Audio needed past a step's own 20 ms before its output exists (conv + window)."""
    return 1000.0 * (LOOKAHEAD_STEPS * STACK * HOP + (N_FFT - HOP)) / SAMPLE_RATE


def features(audio: np.ndarray, n_mels: int = 40) -> np.ndarray:
    """Log-mel frames (T10, n_mels) float32; frame k covers samples [160 k, 160 k + 400)."""
    if len(audio) < N_FFT:
        return np.zeros((0, n_mels), dtype=np.float32)
    db = log_mel(
        audio.astype(np.float32),
        sr=SAMPLE_RATE,
        n_fft=N_FFT,
        hop_length=HOP,
        center=False,
        n_mels=n_mels,
        top_db=None,
    )  # (n_mels, T10)
    return np.ascontiguousarray(db.T)


def encode(text: str) -> list[int]:
    """Characters to label ids (1..28); blank is 0."""
    return [ALPHABET.index(c) for c in text]


def decode(labels: list[int]) -> str:
    """Label ids to text."""
    return "".join(ALPHABET[i] for i in labels)


@dataclass(frozen=True)
class ModelConfig:
    n_mels: int = 40
    hidden: int = 160
    gru_layers: int = 2
    n_symbols: int = len(ALPHABET)


class CTCRecognizer(nn.Module):
    """Stacked log-mel -> conv(3) -> conv(3) -> GRU -> linear -> log_softmax."""

    def __init__(self, config: ModelConfig = ModelConfig()):
        super().__init__()
        self.config = config
        d_in = STACK * config.n_mels
        self.register_buffer("mean", torch.zeros(d_in))
        self.register_buffer("std", torch.ones(d_in))
        self.conv1 = nn.Conv1d(d_in, config.hidden, 3)
        self.conv2 = nn.Conv1d(config.hidden, config.hidden, 3)
        self.gru = nn.GRU(config.hidden, config.hidden, config.gru_layers, batch_first=True)
        self.out = nn.Linear(config.hidden, config.n_symbols)

    def stack(self, frames: torch.Tensor) -> torch.Tensor:
        """(B, T10, n_mels) -> normalised (B, T10 // 2, 2 n_mels); an odd last frame is dropped."""
        B, T10, M = frames.shape
        steps = T10 // STACK
        x = frames[:, : steps * STACK].reshape(B, steps, STACK * M)  # (B, T, 2M)
        return (x - self.mean) / self.std

    def convolve(self, x: torch.Tensor, pad: bool = True) -> torch.Tensor:
        """(B, T, 2M) -> (B, T', hidden); `pad` zero-pads one step each side per conv."""
        h = x.transpose(1, 2)  # (B, 2M, T)
        h = torch.relu(self.conv1(nn.functional.pad(h, (1, 1)) if pad else h))
        h = torch.relu(self.conv2(nn.functional.pad(h, (1, 1)) if pad else h))
        return h.transpose(1, 2)  # (B, T', hidden)

    def forward(
        self, frames: torch.Tensor, state: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Log-probabilities (B, T, n_symbols) of whole utterances, and the GRU state."""
        h, state = self.gru(self.convolve(self.stack(frames)), state)
        return self.out(h).log_softmax(-1), state

    def to_dict(self) -> dict:
        return {"config": asdict(self.config), "state_dict": self.state_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> CTCRecognizer:
        model = cls(ModelConfig(**data["config"]))
        model.load_state_dict(data["state_dict"])
        return model.eval()


def output_lengths(n_frames10: torch.Tensor) -> torch.Tensor:
    """Model steps produced from T10 feature frames."""
    return n_frames10 // STACK
