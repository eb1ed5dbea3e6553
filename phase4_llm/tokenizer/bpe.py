"""A byte-level BPE tokenizer: train, encode, decode (formats live in `formats.py`).

Scope: GPT-style byte-level BPE with regex pre-tokenisation and special tokens. Two merge
rules are supported because the two reference libraries differ:
- with `merges_` (trained here, or loaded from a Hugging Face/GGUF file): repeatedly merge the
  adjacent pair that comes first in the merge list (Hugging Face `tokenizers`, GPT-2);
- without (loaded from tiktoken ranks): a chunk that is itself a token is emitted whole,
  otherwise repeatedly merge the adjacent pair whose concatenation has the lowest rank.
Ties go to the leftmost pair in both. Pre-tokenisation: optionally every numeric character is
split off on its own first (`split_digits`, SmolLM2/StarCoder), then the pattern's matches are
the chunks; `\\p{L}`/`\\p{N}` hold the letters/numbers of the reference engines' Unicode version
(`unicode_tables.py`). Simplifications: no normalisers, no byte fallback.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping

import regex

from .patterns import resolve_pattern
from .training import train_merges
from .unicode_tables import NUMERIC_UNICODE, pin_unicode

_NO_RANK = 1 << 62
_CACHE_LIMIT = 200_000


class BPETokenizer:
    """Byte-level BPE tokenizer with regex pre-tokenisation and special tokens.

    `vocab_size` counts the 256 byte tokens and the learned merges; special tokens are added
    after them. `pattern` is `"gpt2"`, `"cl100k"` or a regex. `split_digits=True` first splits
    off every numeric character as a chunk of its own (Hugging Face's
    `Digits(individual_digits=True)`, llama.cpp's `smollm` pre-tokenizer).
    """

    def __init__(
        self,
        vocab_size: int = 512,
        pattern: str = "cl100k",
        special_tokens: Iterable[str] = (),
        split_digits: bool = False,
    ) -> None:
        self.vocab_size = vocab_size
        self.pattern = pattern
        self.special_tokens = special_tokens
        self.split_digits = split_digits

    # ------------------------------------------------------------------ training
    def fit(self, text: str | Iterable[str]) -> BPETokenizer:
        """Learn `vocab_size - 256` merges from `text` (a string or an iterable of strings)."""
        if self.vocab_size < 256:
            raise ValueError(f"vocab_size must be at least 256 (the bytes), got {self.vocab_size}")
        specials = list(dict.fromkeys(self.special_tokens))
        if any(not s for s in specials):
            raise ValueError("special tokens must be non-empty strings")
        words = count_chunks(text, resolve_pattern(self.pattern), specials, self.split_digits)
        merges = train_merges(words, self.vocab_size - 256)
        ranks = {bytes([b]): b for b in range(256)}
        for _, merged in merges:
            ranks.setdefault(merged, len(ranks))
        token_of = {i: t for t, i in ranks.items()}
        merge_ranks = {(token_of[a], token_of[b]): k for k, ((a, b), _) in enumerate(merges)}
        first_special = len(ranks)
        self._set_state(
            ranks,
            {s: first_special + i for i, s in enumerate(specials)},
            resolve_pattern(self.pattern),
            merge_ranks,
            self.split_digits,
        )
        return self

    @classmethod
    def from_ranks(
        cls,
        ranks: Mapping[bytes, int],
        pattern: str,
        special_tokens: Mapping[str, int] | None = None,
        merges: Mapping[tuple[bytes, bytes], int] | None = None,
        split_digits: bool = False,
    ) -> BPETokenizer:
        """A fitted tokenizer from token ranks (tiktoken) and optionally ranked merges (HF)."""
        specials = dict(special_tokens or {})
        tok = cls(len(ranks), pattern, tuple(specials), split_digits)
        tok._set_state(dict(ranks), specials, resolve_pattern(pattern), merges, split_digits)
        return tok

    def _set_state(self, ranks, specials, pattern_, merges, split_digits) -> None:
        self.ranks_: dict[bytes, int] = ranks
        self.merges_: dict[tuple[bytes, bytes], int] | None = (
            dict(merges) if merges is not None else None
        )
        self.special_tokens_: dict[str, int] = specials
        self.pattern_: str = pattern_
        self.split_digits_: bool = bool(split_digits)
        self.decoder_: dict[int, bytes] = {i: t for t, i in ranks.items()}
        self.decoder_.update({i: s.encode("utf-8") for s, i in specials.items()})
        self._chunker = Chunker(pattern_, self.split_digits_)
        self._unknown_bytes = frozenset(b for b in range(256) if bytes([b]) not in ranks)
        ordered = sorted(specials, key=len, reverse=True)  # leftmost-longest special match
        self._special_regex = (
            regex.compile("(" + "|".join(regex.escape(s) for s in ordered) + ")")
            if ordered
            else None
        )
        self._cache: dict[bytes, list[int]] = {}

    def clear_cache(self) -> None:
        """Forget memoised chunk encodings (benchmarks start cold with it)."""
        self._check_fitted()
        self._cache.clear()

    @property
    def n_vocab(self) -> int:
        """Number of ids, special tokens included (max id + 1)."""
        self._check_fitted()
        return max(self.decoder_) + 1

    # ------------------------------------------------------------------ encoding
    def encode(self, text: str, allowed_special: str | set[str] = "none_raise") -> list[int]:
        """Token ids of `text`.

        `allowed_special`: `"all"` (special tokens in the text become their ids), `"none"`
        (encoded as plain text), `"none_raise"` (default: raise if one occurs) or a set
        (those become ids; any other special in the text raises, as tiktoken does).
        """
        self._check_fitted()
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        if allowed_special == "none" or self._special_regex is None:
            return self.encode_ordinary(text)
        if allowed_special == "all":
            allowed = set(self.special_tokens_)
        elif allowed_special == "none_raise":
            allowed = set()
        elif isinstance(allowed_special, (set, frozenset)):
            allowed = set(allowed_special)
        else:
            raise ValueError("allowed_special must be 'all', 'none', 'none_raise' or a set")
        ids: list[int] = []
        pieces = self._special_regex.split(text)
        for k, piece in enumerate(pieces):
            if k % 2 == 0:
                ids.extend(self.encode_ordinary(piece))
            elif piece in allowed:
                ids.append(self.special_tokens_[piece])
            else:
                raise ValueError(
                    f"text contains the special token {piece!r}; pass allowed_special='all' "
                    "to encode it as a special token or 'none' to encode it as text"
                )
        return ids

    def encode_ordinary(self, text: str) -> list[int]:
        """Token ids of `text`, treating special-token strings as plain text."""
        self._check_fitted()
        ids: list[int] = []
        cache = self._cache
        for chunk in self._chunker.chunks(text):
            piece = chunk.encode("utf-8")
            found = cache.get(piece)
            if found is None:
                found = self._encode_piece(piece)
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[piece] = found
            ids.extend(found)
        return ids

    def _encode_piece(self, piece: bytes) -> list[int]:
        ranks = self.ranks_
        if self.merges_ is None:
            whole = ranks.get(piece)
            if whole is not None:  # tiktoken's shortcut, part of its semantics
                return [whole]
            parts = merge_by_rank(piece, lambda a, b: ranks.get(a + b))
        else:
            if self._unknown_bytes and not self._unknown_bytes.isdisjoint(piece):
                # A byte with no token is dropped before merging, as `tokenizers` does
                # without an unknown token or byte fallback; its neighbours may then merge.
                piece = bytes(b for b in piece if bytes([b]) in ranks)
            merges = self.merges_
            parts = merge_by_rank(piece, lambda a, b: merges.get((a, b)))
        try:
            return [ranks[p] for p in parts]
        except KeyError as exc:
            raise ValueError(f"byte sequence {exc.args[0]!r} has no token id") from None

    # ------------------------------------------------------------------ decoding
    def decode_bytes(self, ids: Iterable[int]) -> bytes:
        """The bytes that `ids` stand for."""
        self._check_fitted()
        try:
            return b"".join(self.decoder_[int(i)] for i in ids)
        except KeyError as exc:
            raise ValueError(f"unknown token id {exc.args[0]}") from None

    def decode(self, ids: Iterable[int], errors: str = "replace") -> str:
        """Text of `ids`; invalid UTF-8 (a cut multi-byte character) becomes U+FFFD."""
        return self.decode_bytes(ids).decode("utf-8", errors=errors)

    def _check_fitted(self) -> None:
        if not hasattr(self, "ranks_"):
            raise RuntimeError("this BPETokenizer is not fitted: call fit() or a loader first")


def merge_by_rank(piece: bytes, rank) -> list[bytes]:
    """Split `piece` into bytes and merge the lowest-ranked adjacent pair until none is ranked.

    `rank(left, right)` returns an int or None. With ranks {b"ab": 0, b"abc": 1}:
    `merge_by_rank(b"abcd", ...) == [b"abc", b"d"]`.
    """
    parts = [piece[i : i + 1] for i in range(len(piece))]
    if len(parts) < 2:
        return parts
    pair_ranks = []
    for a, b in itertools.pairwise(parts):
        r = rank(a, b)
        pair_ranks.append(_NO_RANK if r is None else r)
    while pair_ranks:
        best = min(pair_ranks)
        if best == _NO_RANK:
            break
        i = pair_ranks.index(best)  # leftmost on ties
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
        del pair_ranks[i]
        if i > 0:
            r = rank(parts[i - 1], parts[i])
            pair_ranks[i - 1] = _NO_RANK if r is None else r
        if i < len(parts) - 1:
            r = rank(parts[i], parts[i + 1])
            pair_ranks[i] = _NO_RANK if r is None else r
    return parts


class Chunker:
    """Pre-tokenisation: text -> the chunks that BPE encodes one by one.

    `Chunker(GPT2_PATTERN, split_digits=True).chunks("a  12") == ["a", "  ", "1", "2"]`; without
    digit splitting it is `["a", " ", " 12"]`. Lone surrogates become U+FFFD first (a surrogate
    pair becomes its character), as tiktoken does, since they have no UTF-8 bytes.
    """

    def __init__(self, pattern: str, split_digits: bool = False) -> None:
        self.regex = regex.compile(pin_unicode(pattern))
        # Hugging Face's Digits step tests Rust's char::is_numeric, of a newer Unicode version.
        self.digits = (
            regex.compile(pin_unicode(r"(\p{N})", NUMERIC_UNICODE)) if split_digits else None
        )

    def chunks(self, text: str) -> list[str]:
        """The chunks of `text`, in order; joined they give `text` back (surrogates aside)."""
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if self.digits is None:
            return self.regex.findall(text)
        out: list[str] = []
        for k, piece in enumerate(self.digits.split(text)):
            if k % 2:
                out.append(piece)  # one numeric character
            elif piece:
                out.extend(self.regex.findall(piece))
        return out


def count_chunks(
    text: str | Iterable[str],
    pattern: str,
    specials: Iterable[str] = (),
    split_digits: bool = False,
) -> Counter[tuple[int, ...]]:
    """Frequencies of the pre-tokenised chunks of `text`, as tuples of byte values.

    Special-token strings are cut out first, so no chunk spans one.
    """
    chunker = Chunker(pattern, split_digits)
    ordered = sorted(specials, key=len, reverse=True)
    splitter = regex.compile("|".join(regex.escape(s) for s in ordered)) if ordered else None
    texts = [text] if isinstance(text, str) else text
    counts: Counter[str] = Counter()
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"training text must be str, got {type(t).__name__}")
        for part in splitter.split(t) if splitter else (t,):
            counts.update(chunker.chunks(part))
    return Counter({tuple(c.encode("utf-8")): n for c, n in counts.items()})
