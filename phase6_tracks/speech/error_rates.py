"""Word and character error rates: Levenshtein edits over the corpus / reference length.

Tokenised as jiwer does by default: words split on spaces after collapsing runs of
whitespace; characters (spaces included) after stripping the ends. Corpus-level rates sum the
edits of every pair before dividing, so long sentences weigh more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edits:
    """Alignment counts of one or more hypothesis/reference pairs."""

    hits: int
    substitutions: int
    deletions: int
    insertions: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def reference_length(self) -> int:
        return self.hits + self.substitutions + self.deletions


def align(reference: Sequence[str], hypothesis: Sequence[str]) -> Edits:
    """Minimum-edit alignment counts (dynamic programming over the two token lists).

    >>> align("abc", "abd")
    Edits(hits=2, substitutions=1, deletions=0, insertions=0)
    """
    n, m = len(reference), len(hypothesis)
    # cost[i][j]: (edits, -hits) of reference[:i] vs hypothesis[:j]; ties prefer more hits.
    row = [(j, 0, 0, 0, j) for j in range(m + 1)]  # (edits, hits, subs, dels, ins)
    for i in range(1, n + 1):
        new = [(i, 0, 0, i, 0)]
        for j in range(1, m + 1):
            e, h, s, d, ins = row[j - 1]
            same = reference[i - 1] == hypothesis[j - 1]
            diag = (e, h + 1, s, d, ins) if same else (e + 1, h, s + 1, d, ins)
            e, h, s, d, ins = row[j]
            up = (e + 1, h, s, d + 1, ins)  # delete reference[i-1]
            e, h, s, d, ins = new[j - 1]
            left = (e + 1, h, s, d, ins + 1)  # insert hypothesis[j-1]
            new.append(min(diag, up, left, key=lambda c: (c[0], -c[1])))
        row = new
    _, hits, subs, dels, ins = row[m]
    return Edits(hits, subs, dels, ins)


def words(text: str) -> list[str]:
    """Whitespace runs collapsed, ends stripped, split on spaces."""
    return [w for w in re.sub(r"\s\s+", " ", text).strip().split(" ") if w]


def characters(text: str) -> list[str]:
    """Characters of the stripped text, spaces included."""
    return list(text.strip())


def _rate(references: Sequence[str] | str, hypotheses: Sequence[str] | str, tokens) -> float:
    refs = [references] if isinstance(references, str) else list(references)
    hyps = [hypotheses] if isinstance(hypotheses, str) else list(hypotheses)
    if len(refs) != len(hyps):
        raise ValueError(f"{len(refs)} references but {len(hyps)} hypotheses")
    total = [align(tokens(r), tokens(h)) for r, h in zip(refs, hyps, strict=True)]
    errors = sum(e.errors for e in total)
    length = sum(e.reference_length for e in total)
    if length == 0:  # an empty reference: every inserted token is one error
        return float(errors)
    return errors / length


def wer(references: Sequence[str] | str, hypotheses: Sequence[str] | str) -> float:
    """Word error rate: (S + D + I) / reference words, over all pairs."""
    return _rate(references, hypotheses, words)


def cer(references: Sequence[str] | str, hypotheses: Sequence[str] | str) -> float:
    """Character error rate: (S + D + I) / reference characters, over all pairs."""
    return _rate(references, hypotheses, characters)
