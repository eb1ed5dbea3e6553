"""Question-sentence similarity with the store's embedder: the cosine of candidate answer
sentences' vectors with the question's, sentence vectors kept in a bounded in-process memo
(and the embedder's own on-disk cache by content hash), so a sentence is embedded once however
often it is retrieved."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np

Encode = Callable[[list[str]], np.ndarray]


class SentenceSimilarity:
    """`sims(question, sentences)`: one cosine per sentence; `max_cosine`: the best of them."""

    def __init__(self, encode: Encode, max_entries: int = 50_000) -> None:
        self.encode = encode
        self.max_entries = max_entries
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()

    def _vectors(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if todo:
            for t, v in zip(todo, self.encode(todo), strict=True):
                self._memo[t] = v
            while len(self._memo) > self.max_entries:
                self._memo.popitem(last=False)
        return np.stack([self._memo[t] for t in texts])

    def sims(self, question: str, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        q = self.encode([question])[0]
        return [float(x) for x in self._vectors(sentences) @ q]

    def max_cosine(self, question: str, sentences: list[str]) -> float:
        return max(self.sims(question, sentences), default=0.0)
