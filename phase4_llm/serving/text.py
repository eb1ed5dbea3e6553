"""Text <-> token ids for the served models, with the chat template each model uses.

`ByteTokenizer` serves the small byte-level GPT (256 byte ids + an end-of-text id 256) with a
simple documented chat template; `HFTokenizer` wraps a transformers tokenizer and its own chat
template (SmolLM2's `<|im_start|>role ... <|im_end|>`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class Tokenizer(Protocol):
    """What the server needs from a tokenizer."""

    eos_token_id: int | None
    max_token_chars: int  # the most characters one token can stand for (prompt-size bounds)

    def encode(self, text: str) -> list[int]: ...

    def decode(self, ids: list[int]) -> str: ...

    def chat_prompt(self, messages: list[dict[str, str]]) -> str: ...


class ByteTokenizer:
    """UTF-8 bytes as ids 0..255, id 256 ends a text.

    Chat template: every message as `<|role|>\\ncontent\\n`, then `<|assistant|>\\n`.
    Example: encode("hé") -> [104, 195, 169]; decode([104, 195]) -> "h\\ufffd".
    """

    vocab_size = 257
    eos_token_id: int | None = 256
    max_token_chars = 1  # a token is one byte; a character is 1-4 bytes

    def encode(self, text: str) -> list[int]:
        """The UTF-8 bytes of `text`."""
        return list(text.encode("utf-8"))

    def decode(self, ids: list[int]) -> str:
        """Bytes back to text; a partial multi-byte character decodes as U+FFFD."""
        return bytes(i for i in ids if i < 256).decode("utf-8", errors="replace")

    def chat_prompt(self, messages: list[dict[str, str]]) -> str:
        """The prompt text of a conversation, ending where the assistant speaks."""
        turns = "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages)
        return turns + "<|assistant|>\n"


class HFTokenizer:
    """A transformers tokenizer (loaded from a local folder) behind the `Tokenizer` protocol."""

    def __init__(self, folder: str | Path) -> None:
        from transformers import AutoTokenizer

        self._tok: Any = AutoTokenizer.from_pretrained(str(folder))
        self.eos_token_id = self._tok.eos_token_id
        self.vocab_size = len(self._tok)
        # Byte-level BPE writes one character per byte in its token strings, and a decoded
        # character is at least one byte: the longest token string bounds characters a token.
        tokens = self._tok.convert_ids_to_tokens(list(range(self.vocab_size)))
        self.max_token_chars = max(len(t) for t in tokens if t is not None)

    def encode(self, text: str) -> list[int]:
        """Token ids of `text`, without special tokens added."""
        return list(self._tok(text, add_special_tokens=False).input_ids)

    def decode(self, ids: list[int]) -> str:
        """Text of `ids`, special tokens dropped."""
        return str(self._tok.decode(ids, skip_special_tokens=True))

    def chat_prompt(self, messages: list[dict[str, str]]) -> str:
        """The model's own chat template, with the assistant's turn opened."""
        return str(
            self._tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        )
