"""Letter and number classes pinned to the Unicode version of the engine we compare with.

`\\p{L}` and `\\p{N}` mean whatever the regex engine's Unicode tables say, and the engines
disagree: the `regex` package follows Unicode 18.0, while tiktoken's pattern engine (Rust
`regex`) and the Oniguruma engine inside `tokenizers` follow Unicode 16.0. About 17,000 code
points that Unicode 17.0 and 18.0 made letters or numbers are unassigned to them, so they
split differently. `pin_unicode` rewrites a pattern's `\\p{L}`/`\\p{N}` so that they hold exactly
the letters/numbers of a chosen version (data in `unicode_data.py`, from the Unicode Character
Database: see `make_unicode_data.py`).
Other classes (`\\s`, `\\w`, `\\p{Lu}`, ...) are left to the engine; `\\s` (White_Space) is the
same set of 25 code points in all of them.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from .unicode_data import TABLES

# Measured, not assumed: tests/test_unicode_versions.py probes every code point.
REGEX_UNICODE = "16.0"  # tiktoken 0.14 (Rust regex-syntax) and tokenizers 0.23 (Oniguruma)
NUMERIC_UNICODE = "17.0"  # Rust std's char::is_numeric, used by tokenizers' Digits step

_NAMES = {r"\p{L}": "L", r"\p{N}": "N"}


@lru_cache(maxsize=8)
def code_point_ranges(category: str, version: str) -> tuple[tuple[int, int], ...]:
    """Inclusive ranges of General_Category `category`* ("L" or "N") in Unicode `version`.

    `code_point_ranges("L", "16.0")[0] == (0x41, 0x5A)` (A-Z).
    """
    if (category, version) not in TABLES:
        known = sorted(TABLES)
        raise ValueError(f"no table for {category!r} in Unicode {version!r}; have {known}")
    out = []
    for item in TABLES[(category, version)].split(","):
        first, _, last = item.partition("-")
        out.append((int(first, 16), int(last or first, 16)))
    return tuple(out)


@lru_cache(maxsize=8)
def engine_difference(category: str, version: str) -> tuple[list[int], list[int]]:
    """(extra, missing): the code points the `regex` package's `\\p{category}` has beyond
    Unicode `version`, and those it lacks, sorted. Computed once, by scanning every code point.
    """
    everything = "".join(map(chr, range(0x110000)))
    engine = {ord(c) for c in regex.findall(rf"\p{{{category}}}", everything)}
    pinned = {c for a, b in code_point_ranges(category, version) for c in range(a, b + 1)}
    return sorted(engine - pinned), sorted(pinned - engine)


def pin_unicode(pattern: str, version: str = REGEX_UNICODE) -> str:
    """`pattern` whose `\\p{L}` / `\\p{N}` mean exactly the letters / numbers of `version`.

    Each becomes `[\\p{L}--[extra]]` (plus what the engine lacks, if anything): a set difference,
    so the result needs the `regex` package's VERSION1 syntax and starts with `(?V1)`. A class
    keeps the engine's own tables, and stays fast, where only a few code points differ.
    Escapes are skipped, so a literal `\\\\p{L}` is untouched. Patterns without either are returned
    as they are.
    """
    if not any(name in pattern for name in _NAMES):
        return pattern
    return "(?V1)" + _pin(pattern, version)


@lru_cache(maxsize=32)
def _pin(pattern: str, version: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        piece = pattern[i : i + 5]
        if piece in _NAMES:
            extra, missing = map(_class_body, engine_difference(_NAMES[piece], version))
            pinned = f"[{piece}--[{extra}]]" if extra else piece
            out.append(f"[{pinned}{missing}]" if missing else pinned)
            i += 5
        elif pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def _class_body(code_points: list[int]) -> str:
    ranges: list[list[int]] = []
    for c in code_points:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
