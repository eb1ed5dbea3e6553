"""Okapi BM25 written here, with incremental add and delete (no library).

score(q, d) = sum over query terms t of
    idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl))
with the Lucene idf, idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)), which stays positive for
terms in more than half the documents (rank_bm25's BM25Okapi instead floors negative idf at
epsilon * mean idf; the two agree on ranking whenever df < N / 2).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "she",
        "that",
        "the",
        "their",
        "they",
        "this",
        "to",
        "was",
        "were",
        "which",
        "will",
        "with",
        "who",
        "what",
        "when",
        "where",
        "how",
        "why",
        "did",
        "does",
        "do",
        "been",
        "not",
        "but",
        "had",
        "would",
        "could",
        "said",
    ]
)
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lower-cased words minus stopwords: `tokenize("The cat's hat") == ["cat's", "hat"]`."""
    return [t for t in WORD.findall(text.lower()) if t not in STOPWORDS]


class BM25Index:
    """An inverted index scored with Okapi BM25; documents are integer ids."""

    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.postings: dict[str, dict[int, int]] = {}
        self.lengths: dict[int, int] = {}
        self.terms_of: dict[int, tuple[str, ...]] = {}  # so a delete touches only its terms
        self.total_length = 0

    def __len__(self) -> int:
        return len(self.lengths)

    def add(self, doc_id: int, text: str) -> None:
        """Index `text` under `doc_id` (replacing what was there)."""
        if doc_id in self.lengths:
            self.remove(doc_id)
        tokens = tokenize(text)
        counts = Counter(tokens)
        for term, tf in counts.items():
            self.postings.setdefault(term, {})[doc_id] = tf
        self.terms_of[doc_id] = tuple(counts)
        self.lengths[doc_id] = len(tokens)
        self.total_length += len(tokens)

    def remove(self, doc_id: int) -> bool:
        """Forget `doc_id`; return whether it was indexed."""
        if doc_id not in self.lengths:
            return False
        for term in self.terms_of.pop(doc_id, ()):
            plist = self.postings[term]
            plist.pop(doc_id, None)
            if not plist:
                del self.postings[term]
        self.total_length -= self.lengths.pop(doc_id)
        return True

    def df(self, term: str) -> int:
        """How many indexed documents contain `term`."""
        return len(self.postings.get(term, ()))

    def idf(self, term: str) -> float:
        """Lucene BM25 idf of `term` in the current index."""
        n, df = len(self.lengths), len(self.postings.get(term, ()))
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> dict[int, float]:
        """BM25 score of every document sharing a term with `query`."""
        if not self.lengths:
            return {}
        avgdl = self.total_length / len(self.lengths) or 1.0
        out: dict[int, float] = {}
        for term in tokenize(query):  # repeated query terms count again, as in rank_bm25
            plist = self.postings.get(term)
            if not plist:
                continue
            idf = self.idf(term)
            for doc, tf in plist.items():
                norm = self.k1 * (1.0 - self.b + self.b * self.lengths[doc] / avgdl)
                out[doc] = out.get(doc, 0.0) + idf * tf * (self.k1 + 1.0) / (tf + norm)
        return out

    def search(
        self, query: str, k: int, allowed: Iterable[int] | None = None
    ) -> list[tuple[int, float]]:
        """The `k` best (id, score) pairs, best first; ties broken by smaller id. Only ids in
        `allowed` when given (scores stay corpus-wide: idf is over the whole index)."""
        scores = self.scores(query)
        if allowed is not None:
            keep = set(allowed.tolist() if hasattr(allowed, "tolist") else allowed)
            scores = {i: s for i, s in scores.items() if i in keep}
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:k]

    def to_json(self) -> str:
        return json.dumps(
            {"k1": self.k1, "b": self.b, "lengths": self.lengths, "postings": self.postings}
        )

    @classmethod
    def from_json(cls, data: str) -> BM25Index:
        raw = json.loads(data)
        index = cls(raw["k1"], raw["b"])
        index.lengths = {int(k): v for k, v in raw["lengths"].items()}
        index.postings = {t: {int(k): v for k, v in p.items()} for t, p in raw["postings"].items()}
        index.total_length = sum(index.lengths.values())
        terms: dict[int, list[str]] = {}
        for term, plist in index.postings.items():
            for doc in plist:
                terms.setdefault(doc, []).append(term)
        index.terms_of = {doc: tuple(t) for doc, t in terms.items()}
        return index

    def save(self, path: Path) -> None:
        from phase4_llm.rag_service.atomic import write_atomic

        write_atomic(path, self.to_json().encode())
