"""A small CLIP: a CNN image encoder and a transformer text encoder over our BPE tokenizer.

Both map into one D-dimensional space and are L2-normalised there; a learned temperature
scales their cosine similarities (Radford et al. 2021). The text encoder reads the caption's
BPE ids (phase 4's tokenizer, trained on the captions) followed by an end-of-text token and
takes the feature at that token, as CLIP does.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from phase4_llm.tokenizer.bpe import BPETokenizer

from .contrastive import initial_log_scale, logit_scale_from

EOT = "<|endoftext|>"


class CaptionTokenizer:
    """BPE ids of captions, padded to one length, with an end-of-text id after each."""

    def __init__(self, corpus: Sequence[str], vocab_size: int = 320, max_len: int = 16) -> None:
        self.bpe = BPETokenizer(vocab_size, pattern="gpt2", special_tokens=(EOT,)).fit(list(corpus))
        self.eot = self.bpe.special_tokens_[EOT]
        self.pad = self.bpe.n_vocab  # one id past the vocabulary, never a real token
        self.n_ids = self.pad + 1
        self.max_len = max_len

    def __call__(self, captions: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """(ids (N, L), index of each row's end-of-text token (N,))."""
        rows = [[*self.bpe.encode(c), self.eot] for c in captions]
        if max(len(r) for r in rows) > self.max_len:
            raise ValueError(f"a caption is longer than {self.max_len} tokens")
        ids = torch.full((len(rows), self.max_len), self.pad, dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row)
        return ids, torch.tensor([len(r) - 1 for r in rows])


class ImageEncoder(nn.Module):
    """(N, 3, 16, 16) -> (N, dim): three strided conv blocks, global average, a projection."""

    def __init__(self, dim: int = 64, width: int = 32) -> None:
        super().__init__()

        def block(c_in: int, c_out: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(c_in, c_out, 3, stride=2, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()
            )

        # 16x16 -> 8x8 -> 4x4 -> 2x2; the flattened 2x2 map keeps where the shape is
        self.features = nn.Sequential(block(3, width), block(width, width), block(width, 2 * width))
        self.proj = nn.Linear(2 * width * 4, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(self.features(x).flatten(1))


class TextEncoder(nn.Module):
    """(N, L) token ids -> (N, dim): embeddings, a small transformer, the end-of-text feature."""

    def __init__(self, n_ids: int, pad: int, max_len: int, dim: int = 64, layers: int = 2) -> None:
        super().__init__()
        self.pad = pad
        self.tok = nn.Embedding(n_ids, dim)
        self.pos = nn.Parameter(torch.randn(max_len, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(
            dim, 4, 2 * dim, dropout=0.0, batch_first=True, norm_first=True
        )
        self.blocks = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, ids: torch.Tensor, eot_at: torch.Tensor) -> torch.Tensor:
        h = self.tok(ids) + self.pos[: ids.shape[1]]  # (N, L, dim)
        h = self.blocks(h, src_key_padding_mask=ids == self.pad)
        h = self.norm(h[torch.arange(len(ids)), eot_at])  # (N, dim) at each end-of-text
        return self.proj(h)


class SmallCLIP(nn.Module):
    """Both encoders and the learned log temperature."""

    def __init__(self, tokenizer: CaptionTokenizer, dim: int = 64) -> None:
        super().__init__()
        self.tokenizer = tokenizer
        self.image = ImageEncoder(dim)
        self.text = TextEncoder(tokenizer.n_ids, tokenizer.pad, tokenizer.max_len, dim)
        self.log_scale = nn.Parameter(torch.tensor(initial_log_scale()))

    def encode_image(self, images: torch.Tensor) -> torch.Tensor:
        """L2-normalised image features (N, dim)."""
        return F.normalize(self.image(images), dim=1)

    def encode_text(self, captions: Sequence[str]) -> torch.Tensor:
        """L2-normalised text features (N, dim)."""
        ids, eot_at = self.tokenizer(captions)
        return F.normalize(self.text(ids, eot_at), dim=1)

    def logit_scale(self) -> torch.Tensor:
        """exp(log_scale), clamped at 100."""
        return logit_scale_from(self.log_scale)
