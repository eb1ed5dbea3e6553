"""Pre-tokenisation patterns and GPT-2's printable alphabet for bytes.

The patterns split text into chunks that BPE never merges across (words, numbers, runs of
punctuation or whitespace). They need the `regex` package (`\\p{L}`, possessive quantifiers).
"""

from __future__ import annotations

# GPT-2's printable alphabet for bytes lives with phase 4's shared code (the constraint
# engine reads byte-level vocabularies too); imported here, where the tokenizer uses it.
from phase4_llm.common.byte_level import bytes_to_unicode, unicode_to_bytes

# GPT-2 (Radford et al. 2019): contractions, letters, numbers, other symbols, whitespace.
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

# cl100k_base (GPT-3.5/4), as tiktoken writes it: case-insensitive contractions, numbers in
# groups of at most three digits, newlines kept apart from other whitespace.
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)

PATTERNS = {"gpt2": GPT2_PATTERN, "cl100k": CL100K_PATTERN}


def resolve_pattern(pattern: str) -> str:
    """A pattern by name (`"gpt2"`, `"cl100k"`) or a regex given as is."""
    return PATTERNS.get(pattern, pattern)


def token_to_str(token: bytes) -> str:
    """Bytes as GPT-2's printable string: `token_to_str(b" hi") == "Ġhi"`."""
    table = bytes_to_unicode()
    return "".join(table[b] for b in token)


def str_to_token(text: str) -> bytes:
    """Inverse of `token_to_str`: `str_to_token("Ġhi") == b" hi"`."""
    table = unicode_to_bytes()
    return bytes(table[c] for c in text)
