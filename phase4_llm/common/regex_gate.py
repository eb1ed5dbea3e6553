"""Literal gates: a cheap, exact test that a regular expression cannot match a text.

`literal_gate(pattern)` reads the pattern's parse tree (the standard library's own parser) and
returns a formula over literal strings that every match must contain: a run of literal
characters is one string, a group of alternatives needs one of its branches, a repeat needs its
body only when it must occur at least once, and anything else (`.`, `\\s`, `\\b`, classes with
ranges) requires nothing. `gate_allows(gate, folded)` evaluates it with plain substring tests
on the lower-cased text, which is much cheaper than running the pattern. A gate can only say
"cannot match"; it never hides a match, so a screen that runs only the patterns whose gate
allows the text finds exactly what running all of them finds.

Lower-casing stands in for `re.IGNORECASE` because, for the characters these patterns spell,
a text character matches a pattern character case-insensitively exactly when their lower-case
forms are equal; the few characters where Python's case-insensitive matching goes further than
`str.lower` (dotless i, long s, old Cyrillic letter variants, ...) are listed in
`CASE_EXCEPTIONS`, and a text holding one of them skips the gates
(`tests/test_injection_gate.py` checks this list against every Unicode code point).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The standard library's regex parser and its opcodes (`re._parser`, `re._constants` since
# Python 3.11; private, so imported by name: typeshed does not describe them).
_parser: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

# ("lit", s): s occurs; ("any", (s, ...)): one of the strings occurs; ("and", [...]): every
# part holds; ("or", [...]): one part holds; None: no condition.
Gate = tuple[str, Any] | None
# Characters that `re.IGNORECASE` equates with a letter although `str.lower` does not map them
# to it (CPython's extra case equivalences: dotless i, long s, the Greek symbol forms, the
# old Cyrillic letter variants, ...), plus capital dotted I (lower-cases to two characters)
# and capital sigma (lower-cases by context). A text holding one of them skips the gates.
CASE_EXCEPTIONS = frozenset(
    "\u0130\u0131\u017f\u00b5\u0345\u1fbe\u1e9b\ufb05\ufb06\u03a3\u03c2\u03d0\u03d1\u03d5"
    "\u03d6\u03f0\u03f1\u03f5\u1fd3\u1fe3\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88"
)


def literal_gate(pattern: str, flags: int = 0) -> Gate:
    """The literal strings (as a formula) that any match of `pattern` must contain."""
    return _sequence(list(_parser.parse(pattern, flags)))


def _sequence(items: list[tuple[Any, Any]]) -> Gate:
    parts: list[Gate] = []
    run: list[str] = []
    for op, arg in items:
        if op is sre.LITERAL:  # consecutive literals are one string of the match
            run.append(chr(arg).lower())
            continue
        if run:
            parts.append(("lit", "".join(run)))
            run = []
        part = _item(op, arg)
        if part is not None:
            parts.append(part)
    if run:
        parts.append(("lit", "".join(run)))
    if not parts:
        return None
    # Parts with fewer strings first: a missing one ends the test after few substring scans.
    parts.sort(key=lambda p: len(gate_literals(p)))
    return parts[0] if len(parts) == 1 else ("and", parts)


def _item(op: Any, arg: Any) -> Gate:
    if op is sre.SUBPATTERN:  # (group, add_flags, del_flags, body)
        return _sequence(list(arg[-1]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(arg))
    if op is sre.BRANCH:
        return _either([_sequence(list(b)) for b in arg[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = arg
        return _sequence(list(body)) if low >= 1 else None
    if op is sre.IN and all(o is sre.LITERAL for o, _ in arg):  # a set of single characters
        return _either([("lit", chr(c).lower()) for _, c in arg])
    return None  # any character, a category, a range, an anchor, a look-around


def _either(branches: list[Gate]) -> Gate:
    """One of `branches` holds; alternatives that are plain strings become one "any" test."""
    if any(b is None for b in branches):
        return None
    words = tuple(b[1] for b in branches if b is not None and b[0] == "lit")
    rest = [b for b in branches if b is not None and b[0] != "lit"]
    return ("any", words) if not rest else ("or", [*rest, ("any", words)] if words else rest)


def gate_allows(gate: Gate, folded: str) -> bool:
    """False only when no match is possible in the text whose `str.lower()` is `folded`."""
    if gate is None:
        return True
    kind, arg = gate
    if kind == "lit":
        return bool(arg in folded)
    if kind == "any":
        return any(map(folded.__contains__, arg))
    if kind == "and":
        return all(gate_allows(g, folded) for g in arg)
    return any(gate_allows(g, folded) for g in arg)


def gate_literals(gate: Gate) -> set[str]:
    """Every literal string a gate tests (for checking its characters' case behaviour)."""
    if gate is None:
        return set()
    kind, arg = gate
    if kind == "lit":
        return {arg}
    if kind == "any":
        return set(arg)
    return set().union(*(gate_literals(g) for g in arg))


def usable(text: str) -> bool:
    """Whether gates may be applied to `text` (no character whose case folding `re` widens)."""
    return not any(c in text for c in CASE_EXCEPTIONS)


def finditer_gated(
    compiled: list[re.Pattern[str]], gates: list[Gate], text: str
) -> list[re.Match[str]]:
    """Every match of every pattern in order, skipping patterns whose gate rules `text` out."""
    folded = text.lower() if usable(text) else None
    return [
        m
        for pattern, gate in zip(compiled, gates, strict=True)
        if folded is None or gate_allows(gate, folded)
        for m in pattern.finditer(text)
    ]
