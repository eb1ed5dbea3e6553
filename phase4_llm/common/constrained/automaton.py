"""A character-level pushdown automaton over compact JSON, with states interned as integers.

`JsonAutomaton(schema)` accepts exactly the compact spellings of the schema's instances
(properties in declared order, an optional space after ':' and ','). A state is a stack of
grammar frames; states are interned so that the token masker can cache by a small int.
"""

from __future__ import annotations

from typing import Any

from .grammar import Frame, Node
from .schema import compile_schema

Stack = tuple[Frame, ...]


class JsonAutomaton:
    """Step through a JSON text one character at a time; states are small ints."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.root: Node = compile_schema(schema)
        self._stacks: list[Stack] = []
        self._ids: dict[Stack, int] = {}
        self._next: dict[tuple[int, str], int | None] = {}
        self._cost: dict[int, int] = {}
        self.initial = self._intern((self.root.start(),))

    def _intern(self, stack: Stack) -> int:
        sid = self._ids.get(stack)
        if sid is None:
            sid = self._ids[stack] = len(self._stacks)
            self._stacks.append(stack)
        return sid

    @property
    def n_states(self) -> int:
        """How many distinct states have been visited so far."""
        return len(self._stacks)

    def step(self, state: int, ch: str) -> int | None:
        """The state after reading `ch`, or None when `ch` cannot come next (memoised)."""
        key = (state, ch)
        try:
            return self._next[key]
        except KeyError:
            pass
        stack = self._stacks[state]
        result: int | None = None
        while stack:
            top = stack[-1]
            replaced = top[0].consume(top, ch)
            if replaced is not None:
                result = self._intern(stack[:-1] + tuple(replaced))
                break
            if not top[0].done(top):
                break
            stack = stack[:-1]  # the value on top may end here: `ch` belongs to its parent
        self._next[key] = result
        return result

    def walk(self, state: int, text: str) -> int | None:
        """The state after reading `text`, or None as soon as a character is rejected."""
        for ch in text:
            state = self.step(state, ch)  # type: ignore[assignment]
            if state is None:
                return None
        return state

    def is_accepting(self, state: int) -> bool:
        """True when the text read so far is a complete instance."""
        return all(f[0].done(f) for f in self._stacks[state])

    def is_closed(self, state: int) -> bool:
        """True when the instance is complete and no character may follow."""
        return not self._stacks[state]

    def min_chars(self, state: int) -> int:
        """The fewest characters that complete an instance from `state` (0 when accepting)."""
        cost = self._cost.get(state)
        if cost is None:
            cost = self._cost[state] = sum(f[0].cost(f) for f in self._stacks[state])
        return cost

    def accepts(self, text: str) -> bool:
        """True when `text` is a complete compact instance of the schema."""
        state = self.walk(self.initial, text)
        return state is not None and self.is_accepting(state)
