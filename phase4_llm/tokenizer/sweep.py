"""Texts that put every code point in each context the split patterns tell apart.

A pattern decides a chunk by what a character is (letter, number, space, other) and by its
neighbours, so each code point is tested joined to its neighbours directly and between
letters, spaces, digits, apostrophes and newlines. One long text per context and block keeps
the reference library's per-call cost out of the way.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from .unicode_tables import REGEX_UNICODE, code_point_ranges

# Each code point c of a run sits in "sep".join(run): between two separators ("" keeps code
# points next to their neighbours, "x x" between letters, "'" after an apostrophe, ...).
SEPARATORS = ("", "x x", " ", "1", "'", "\n", "  ")
# Next to its neighbours, and between letters, spaces and digits: the exhaustive sweep's set.
CORE_SEPARATORS = SEPARATORS[:4]
SURROGATES = range(0xD800, 0xE000)


def every_code_point() -> list[int]:
    """All code points but the surrogates (which have no UTF-8 form; tested on their own)."""
    return [c for c in range(0x110000) if c not in SURROGATES]


def sampled_code_points(n: int, seed: int = 0) -> list[int]:
    """`n` random code points plus the first and last of every letter/number range.

    Every range edge of the pinned tables is where an off-by-one Unicode version would show.
    """
    edges = {
        c
        for cat in ("L", "N")
        for first, last in code_point_ranges(cat, REGEX_UNICODE)
        for c in (first - 1, first, last, last + 1)
    }
    rng = random.Random(seed)
    drawn = set(rng.sample(every_code_point(), n))
    return sorted(c for c in edges | drawn if 0 <= c < 0x110000 and c not in SURROGATES)


def context_texts(
    code_points: list[int],
    separators: tuple[str, ...] = SEPARATORS,
    block: int = 8192,
    run: int = 64,
) -> Iterator[tuple[str, list[str]]]:
    """(label, texts) for every separator and block of `code_points`, one text per `run`.

    Short texts keep every chunk short (BPE's cost grows with the square of a chunk's length,
    and a block of letters joined by nothing would be one chunk), while a block's texts are
    compared together.
    """
    for start in range(0, len(code_points), block):
        chunk = code_points[start : start + block]
        label = f"U+{chunk[0]:04X}..U+{chunk[-1]:04X}"
        for sep in separators:
            texts = []
            for k in range(0, len(chunk), run):
                texts.append(sep + sep.join(map(chr, chunk[k : k + run])) + sep)
            yield f"{label} joined by {sep!r}", texts
