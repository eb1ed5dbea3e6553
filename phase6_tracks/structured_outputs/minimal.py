"""Constrained decoding in one file: a token mask that only lets valid JSON for one schema out.

The idea only, for one fixed schema (`SCHEMA`: an object with a string "name" and an integer
"age" >= 0, written compactly in that order). A small automaton reads the output one character
at a time; before each step, a token is allowed when the automaton accepts its characters
after the text so far, and EOS only when the object is complete. Greedy decoding under that
mask can only produce text that parses and validates once it stops at EOS. Any schema,
escapes, a token budget (closing the JSON before `max_new_tokens`), pruning of prefixes the
vocabulary cannot finish, and a trie over the vocabulary are what
`phase4_llm.common.constrained` adds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "additionalProperties": False,
}
STRING, INTEGER = 0, 1  # the two value slots; every other part is literal text
PARTS: tuple[str | int, ...] = ('{"name":"', STRING, '","age":', INTEGER, "}")
START, DONE = (0, 0), (len(PARTS), 0)  # state: (part, progress inside it)


def step(state: tuple[int, int], ch: str) -> tuple[int, int] | None:
    """The state after reading `ch`, or None when no valid output continues that way.

    Literal parts must match character by character; a string takes any character but `"`,
    `\\` and control characters (its `"` starts the next literal); an integer is "0" or a
    digit 1-9 followed by digits (progress: 0 none yet, 1 a leading zero, 2 otherwise).
    Hint: when a value slot sees a character that ends it, hand `ch` to the next part.
    """
    part, n = state
    if part == len(PARTS):
        return None  # nothing may follow the closing brace
    kind = PARTS[part]
    if kind == STRING:
        if ch == '"':
            return step((part + 1, 0), ch)
        return None if ch == "\\" or ord(ch) < 0x20 else (part, n + 1)
    if kind == INTEGER:
        if ch in "0123456789":
            return None if n == 1 else (part, 1 if n == 0 and ch == "0" else 2)
        return step((part + 1, 0), ch) if n else None
    assert isinstance(kind, str)
    if ch != kind[n]:
        return None
    return (part + 1, 0) if n + 1 == len(kind) else (part, n + 1)


def walk(state: tuple[int, int] | None, text: str) -> tuple[int, int] | None:
    """The state after reading every character of `text` (None once any is rejected)."""
    for ch in text:
        if state is None:
            return None
        state = step(state, ch)
    return state


def token_mask(state: tuple[int, int], tokens: list[str], eos_id: int) -> np.ndarray:
    """Which tokens may come next: those whose text the automaton accepts, EOS when done.

    Hint: `walk(state, tokens[i]) is not None`; the EOS token is allowed only at DONE.
    """
    mask = np.array([i != eos_id and walk(state, t) is not None for i, t in enumerate(tokens)])
    mask[eos_id] = state == DONE
    return mask


def constrained_greedy(
    logits_fn: Callable[[list[int]], np.ndarray], tokens: list[str], eos_id: int, max_tokens: int
) -> str:
    """Greedy decoding where masked tokens get -inf: the text generated before EOS."""
    ids: list[int] = []
    state = START
    while len(ids) < max_tokens:
        logits = np.where(token_mask(state, tokens, eos_id), logits_fn(ids), -np.inf)
        best = int(np.argmax(logits))
        if best == eos_id:
            break
        ids.append(best)
        after = walk(state, tokens[best])
        assert after is not None  # the mask allowed this token
        state = after
    return "".join(tokens[i] for i in ids)
