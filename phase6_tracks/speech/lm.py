"""A character n-gram language model with interpolated (Dirichlet) smoothing.

P(c | h) = (count(h, c) + k * P(c | h')) / (count(h) + k), where h' drops the oldest
character of h, down to a uniform distribution over the alphabet; every level sums to one,
so the model is a proper distribution for any history, seen or not.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

BOS = "^"  # pads the history at the start of a sentence


class CharNGramLM:
    """Order-n character model over `alphabet`; `fit` counts, `log_prob` scores."""

    def __init__(
        self, order: int = 4, alphabet: str = " 'abcdefghijklmnopqrstuvwxyz", k: float = 1.0
    ):
        if order < 1:
            raise ValueError("order must be >= 1")
        self.order, self.alphabet, self.k = order, alphabet, k
        self.counts_: Counter[tuple[str, str]] = Counter()
        self.context_counts_: Counter[str] = Counter()

    def fit(self, sentences: Iterable[str]) -> CharNGramLM:
        """Count every (history, next character) pair with histories of length 0..n-1."""
        for sentence in sentences:
            text = BOS * (self.order - 1) + sentence
            for i in range(self.order - 1, len(text)):
                if text[i] not in self.alphabet:
                    raise ValueError(f"character {text[i]!r} is outside the alphabet")
                for n in range(self.order):
                    history = text[i - n : i]
                    self.counts_[(history, text[i])] += 1
                    self.context_counts_[history] += 1
        return self

    def log_prob(self, char: str, history: str) -> float:
        """Natural log P(char | last n-1 characters of history, BOS-padded)."""
        padded = (BOS * (self.order - 1) + history)[-(self.order - 1) :] if self.order > 1 else ""
        p = 1.0 / len(self.alphabet)
        for n in range(self.order):  # from the empty history up to the longest
            h = padded[len(padded) - n :] if n else ""
            p = (self.counts_[(h, char)] + self.k * p) / (self.context_counts_[h] + self.k)
        return math.log(p)
