"""Grammar nodes of compact JSON: each node reads one JSON value, one character at a time.

A parse position is a stack of frames; a frame is a tuple `(node, a, b)` whose two integers
(or prefix string) say where inside its value the node is. `node.consume(frame, ch)` returns
the frames that replace it (`[]` when the value closed) or None when `ch` cannot come next;
`node.done(frame)` says whether the value may end here; `node.cost(frame)` is the fewest
characters that still complete it. Whitespace: one optional space after `:` and `,` only, so
every value has a finite set of spellings and generation cannot stall on blanks.
"""

from __future__ import annotations

from typing import Any

Frame = tuple[Any, ...]
INF = 1 << 30
HEX = frozenset("0123456789abcdefABCDEF")
DIGITS = frozenset("0123456789")
SIMPLE_ESCAPES = frozenset('"\\/bfnrt')
INT_DIGITS = 15  # bound the spellings; 15 digits stay exact in float64 too
FRAC_DIGITS = 17  # enough for repr() of any float64 in plain notation
EXP_DIGITS = 2


class Node:
    """A grammar node; subclasses implement the four frame methods."""

    min_len: int = 1  # shortest spelling of the value

    def start(self) -> Frame:
        return (self, 0, 0)

    def consume(self, frame: Frame, ch: str) -> list[Frame] | None:
        raise NotImplementedError

    def done(self, frame: Frame) -> bool:
        return False

    def cost(self, frame: Frame) -> int:
        raise NotImplementedError


def feed(child: Node, ch: str) -> list[Frame] | None:
    """The frames of `child` after it reads its first character `ch`."""
    return child.consume(child.start(), ch)


class LiteralNode(Node):
    """One of a fixed set of spellings (enum, const, true/false, null); frame (node, prefix)."""

    def __init__(self, options: tuple[str, ...]) -> None:
        self.options = frozenset(options)
        self.left: dict[str, int] = {}  # prefix -> fewest characters to finish an option
        for opt in options:
            for i in range(len(opt) + 1):
                p = opt[:i]
                self.left[p] = min(self.left.get(p, INF), len(opt) - i)
        self.min_len = self.left[""]

    def start(self) -> Frame:
        return (self, "")

    def consume(self, frame: Frame, ch: str) -> list[Frame] | None:
        text = frame[1] + ch
        if text not in self.left:
            return None
        if text in self.options and not any(o != text and o.startswith(text) for o in self.options):
            return []  # nothing can extend it: close the frame so equal states look equal
        return [(self, text)]

    def done(self, frame: Frame) -> bool:
        return frame[1] in self.options

    def cost(self, frame: Frame) -> int:
        return self.left[frame[1]]


class StringNode(Node):
    """A JSON string of minLength..maxLength code points; frame (node, phase, count).

    Phases: 0 before the opening quote, 1 in the body, 2 after a backslash, 3..6 inside
    `\\uXXXX` with 4..1 hex digits to go. Without maxLength the count saturates at minLength.
    """

    def __init__(self, min_length: int = 0, max_length: int | None = None) -> None:
        self.lo, self.hi = min_length, max_length
        self.min_len = 2 + min_length

    def consume(self, frame: Frame, ch: str) -> list[Frame] | None:
        _, phase, n = frame
        if phase == 0:
            return [(self, 1, 0)] if ch == '"' else None
        if phase == 1:
            if ch == '"':
                return [] if n >= self.lo else None
            if self.hi is not None and n >= self.hi:
                return None
            if ch == "\\":
                return [(self, 2, n)]
            if ch < " ":  # raw control characters are not allowed inside JSON strings
                return None
            return [(self, 1, self._next(n))]
        if phase == 2:
            if ch in SIMPLE_ESCAPES:
                return [(self, 1, self._next(n))]
            return [(self, 3, n)] if ch == "u" else None
        if ch not in HEX or (phase == 3 and ch in "dD"):  # no surrogate halves (\\uD800-DFFF)
            return None
        return [(self, 1, self._next(n))] if phase == 6 else [(self, phase + 1, n)]

    def _next(self, n: int) -> int:
        return n + 1 if self.hi is not None else min(n + 1, self.lo)

    def cost(self, frame: Frame) -> int:
        _, phase, n = frame
        if phase == 0:
            return 2 + self.lo
        if phase == 1:
            return max(0, self.lo - n) + 1
        pending = 1 if phase == 2 else 7 - phase  # characters left in the escape
        return pending + max(0, self.lo - n - 1) + 1


class IntegerNode(Node):
    """-?(0|[1-9][0-9]*) with at most INT_DIGITS digits; frame (node, phase, digits).

    Phases: 0 start, 1 after '-', 2 a lone zero (done), 3 digits (done).
    """

    def consume(self, frame: Frame, ch: str) -> list[Frame] | None:
        _, phase, nd = frame
        if phase in (0, 1):
            if ch == "-" and phase == 0:
                return [(self, 1, 0)]
            if ch == "0":
                return [(self, 2, 1)]
            return [(self, 3, 1)] if ch in DIGITS else None
        if phase == 3 and ch in DIGITS and nd < INT_DIGITS:
            return [(self, 3, nd + 1)]
        return None

    def done(self, frame: Frame) -> bool:
        return frame[1] >= 2

    def cost(self, frame: Frame) -> int:
        return 0 if frame[1] >= 2 else 1


class NumberNode(Node):
    """A JSON number (sign, integer part, fraction, exponent), digit counts bounded.

    Phases: 0 start, 1 '-', 2 lone zero*, 3 int digits*, 4 '.', 5 fraction digits*, 6 'e',
    7 exponent sign, 8 exponent digits* (* = may end here).
    """

    DONE = frozenset({2, 3, 5, 8})

    def consume(self, frame: Frame, ch: str) -> list[Frame] | None:
        _, phase, nd = frame
        if phase in (0, 1):
            if ch == "-" and phase == 0:
                return [(self, 1, 0)]
            if ch == "0":
                return [(self, 2, 1)]
            return [(self, 3, 1)] if ch in DIGITS else None
        if ch in DIGITS:
            if phase == 3 and nd < INT_DIGITS:
                return [(self, 3, nd + 1)]
            if phase == 4 or (phase == 5 and nd < FRAC_DIGITS):
                return [(self, 5, nd + 1 if phase == 5 else 1)]
            if phase in (6, 7) or (phase == 8 and nd < EXP_DIGITS):
                return [(self, 8, nd + 1 if phase == 8 else 1)]
            return None
        if ch == "." and phase in (2, 3):
            return [(self, 4, 0)]
        if ch in "eE" and phase in (2, 3, 5):
            return [(self, 6, 0)]
        if ch in "+-" and phase == 6:
            return [(self, 7, 0)]
        return None

    def done(self, frame: Frame) -> bool:
        return frame[1] in self.DONE

    def cost(self, frame: Frame) -> int:
        return 0 if frame[1] in self.DONE else 1


class ArrayNode(Node):
    """`[item, item]` with minItems..maxItems items; frame (node, count, phase).

    Phases: 0 before '[', 1 after '[', 2 after an item, 3 after ',', 4 after ', '.
    """

    def __init__(self, items: Node, min_items: int = 0, max_items: int | None = None) -> None:
        self.items, self.lo, self.hi = items, min_items, max_items
        self.min_len = 2 + self._body(min_items)

    def _body(self, n: int) -> int:
        return n * self.items.min_len + max(0, n - 1)

    def consume(self, frame: Frame, ch: str) -> list[Frame] | None:
        _, n, phase = frame
        if phase == 0:
            return [(self, 0, 1)] if ch == "[" else None
        if phase == 1:
            if ch == "]":
                return [] if self.lo == 0 else None
            if self.hi == 0:
                return None
            return self._item(1, ch)
        if phase == 2:
            if ch == "]":
                return [] if n >= self.lo else None
            if ch == "," and (self.hi is None or n < self.hi):
                return [(self, n, 3)]
            return None
        if phase == 3 and ch == " ":
            return [(self, n, 4)]
        return self._item(n + 1, ch)

    def _item(self, n: int, ch: str) -> list[Frame] | None:
        child = feed(self.items, ch)
        return None if child is None else [(self, n, 2), *child]

    def cost(self, frame: Frame) -> int:
        _, n, phase = frame
        if phase == 0:
            return self.min_len
        if phase == 1:
            return self._body(self.lo) + 1
        more = max(0, self.lo - n)
        if phase == 2:
            return more * (1 + self.items.min_len) + 1
        # after a comma one item must follow, then the rest of the minimum
        return self.items.min_len + max(0, more - 1) * (1 + self.items.min_len) + 1


class ObjectNode(Node):
    """`{"a":1,"b":2}` with every property in declared order; frame (node, index, position).

    The text around value i is a small pattern of (char, optional) pairs: `{"a":` then `,"b":`
    (an optional space after each ':' and ','), and `}` after the last value.
    """

    def __init__(self, names: tuple[str, ...], values: tuple[Node, ...]) -> None:
        from .schema import _dump

        self.values = values
        n = len(names)
        self.patterns: list[list[tuple[str, bool]]] = []
        for i, name in enumerate(names):
            pat = [("{", False)] if i == 0 else [(",", False), (" ", True)]
            pat += [(c, False) for c in _dump(name) + ":"] + [(" ", True)]
            self.patterns.append(pat)
        self.patterns.append([("}", False)] if n else [("{", False), ("}", False)])
        required = [
            [sum(not opt for _, opt in pat[p:]) for p in range(len(pat) + 1)]
            for pat in self.patterns
        ]
        self.pattern_left = required  # [i][p]: mandatory characters left in pattern i
        # rest[i]: fewest characters after pattern i ends (value i, later patterns and values)
        self.rest = [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            self.rest[i] = values[i].min_len + required[i + 1][0] + self.rest[i + 1]
        self.min_len = required[0][0] + self.rest[0]

    def consume(self, frame: Frame, ch: str) -> list[Frame] | None:
        _, i, p = frame
        pat = self.patterns[i]
        while p < len(pat):
            c, optional = pat[p]
            if ch == c:
                p += 1
                if p < len(pat):
                    return [(self, i, p)]
                if i == len(self.values):
                    return []  # the closing brace
                return [(self, i + 1, 0), self.values[i].start()]
            if not optional:
                return None
            p += 1
        # the pattern ended on skipped optional spaces: `ch` starts value i
        child = feed(self.values[i], ch)
        return None if child is None else [(self, i + 1, 0), *child]

    def cost(self, frame: Frame) -> int:
        _, i, p = frame
        return self.pattern_left[i][p] + self.rest[i]
