"""The decoded text of every vocabulary token, computed once, plus a prefix trie over it.

Byte-level BPE tokens that are not whole UTF-8 text on their own (a split multi-byte
character) and special tokens other than EOS are never allowed by the constraint: the
automaton reads characters, not bytes (documented limit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from phase4_llm.common.byte_level import bytes_to_unicode


@dataclass
class TokenVocabulary:
    """`texts[i]` is token i's text (None: never allowed); `eos_ids` end a generation."""

    texts: list[str | None]
    eos_ids: tuple[int, ...] = ()
    trie: list[tuple[dict[str, int], list[int]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # trie[node] = (children by character, token ids whose text ends at this node)
        self.trie = [({}, [])]
        for tid, text in enumerate(self.texts):
            if not text or tid in self.eos_ids:
                continue
            node = 0
            for ch in text:
                children = self.trie[node][0]
                nxt = children.get(ch)
                if nxt is None:
                    nxt = children[ch] = len(self.trie)
                    self.trie.append(({}, []))
                node = nxt
            self.trie[node][1].append(tid)

    def __len__(self) -> int:
        return len(self.texts)

    @classmethod
    def from_token_bytes(
        cls, pieces: Sequence[bytes | None], eos_ids: Iterable[int] = ()
    ) -> TokenVocabulary:
        """From each token's raw bytes; pieces that are not valid UTF-8 alone are dropped."""
        texts: list[str | None] = []
        for piece in pieces:
            try:
                texts.append(piece.decode("utf-8") if piece is not None else None)
            except UnicodeDecodeError:
                texts.append(None)
        return cls(texts, tuple(eos_ids))

    @classmethod
    def from_bpe(cls, tokenizer: Any, eos_ids: Iterable[int] = ()) -> TokenVocabulary:
        """From phase 4's `BPETokenizer`; special tokens are never spelled out (EOS ends only)."""
        eos = tuple(eos_ids)
        specials = set(tokenizer.special_tokens_.values())
        pieces = [
            None if i in specials else tokenizer.decoder_.get(i) for i in range(tokenizer.n_vocab)
        ]
        return cls.from_token_bytes(pieces, eos)

    @classmethod
    def from_hf_tokenizer(cls, tokenizer: Any) -> TokenVocabulary:
        """From a byte-level (GPT-2 style) transformers tokenizer; EOS is its eos_token_id."""
        to_byte = {ch: b for b, ch in bytes_to_unicode().items()}
        # added tokens (<|im_start|>, <repo_name>, ...) are matched whole, never spelled out
        special = set(tokenizer.all_special_ids) | set(
            getattr(tokenizer, "added_tokens_decoder", {})
        )
        pieces: list[bytes | None] = []
        for i, tok in enumerate(tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))):
            if i in special or tok is None or any(ch not in to_byte for ch in tok):
                pieces.append(None)
            else:
                pieces.append(bytes(to_byte[ch] for ch in tok))
        eos = () if tokenizer.eos_token_id is None else (int(tokenizer.eos_token_id),)
        return cls.from_token_bytes(pieces, eos)


class CharTokenizer:
    """A character-level tokenizer over a fixed alphabet plus an EOS id (the last id)."""

    def __init__(self, alphabet: str) -> None:
        self.alphabet = "".join(dict.fromkeys(alphabet))
        self.index = {ch: i for i, ch in enumerate(self.alphabet)}
        self.eos_id = len(self.alphabet)

    @property
    def vocab_size(self) -> int:
        return len(self.alphabet) + 1

    def encode(self, text: str) -> list[int]:
        unknown = sorted(set(text) - set(self.index))
        if unknown:
            raise ValueError(f"characters {unknown} are not in the alphabet")
        return [self.index[ch] for ch in text]

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(self.alphabet[i] for i in ids if i != self.eos_id)

    def vocabulary(self) -> TokenVocabulary:
        return TokenVocabulary([*self.alphabet, None], (self.eos_id,))
