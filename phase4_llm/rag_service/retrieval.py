"""Dense, BM25 and hybrid retrieval, fused by reciprocal rank, then re-ranked.

Re-ranker (documented choice): a cross-score over the fused candidates,
`cosine(query, chunk) + 0.5 * coverage(query, chunk)`, where coverage is the idf-weighted
share of the query's terms that occur in the chunk. RRF throws the raw scores away; the
re-ranker brings both back, and the evaluation measures it against plain RRF.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from phase4_llm.rag_service.access import ADMIN, Viewer
from phase4_llm.rag_service.bm25 import tokenize
from phase4_llm.rag_service.store import DocumentStore

MODES = ("dense", "bm25", "hybrid", "hybrid_rerank")
RRF_K = 60  # the constant of Cormack et al. (2009)
COVERAGE_WEIGHT = 0.5


@dataclass
class Hit:
    """One retrieved chunk id with its final score and the evidence for confidence."""

    chunk_id: int
    score: float
    cosine: float
    coverage: float
    term_share: float = 0.0  # unweighted share of query terms present, for confidence


def rrf(rankings: list[list[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: `rrf([[1, 2], [2, 3]])[0][0] == 2`."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class Retriever:
    """Runs one retrieval mode over a store and times each stage."""

    def __init__(self, store: DocumentStore, embedder, candidates: int = 40) -> None:  # type: ignore[no-untyped-def]
        self.store = store
        self.embedder = embedder
        self.candidates = candidates

    def retrieve(
        self, query: str, k: int = 4, mode: str = "hybrid_rerank", viewer: Viewer = ADMIN
    ) -> tuple[list[Hit], dict[str, float]]:
        """The `k` best hits for `query` among the chunks `viewer` may see, and the per-stage
        latency in milliseconds."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: expected one of {MODES}")
        t: dict[str, float] = {}
        qvec = None
        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        with self.store.lock:
            allowed = self.store.access.allowed(viewer)
            if mode != "bm25":
                start = time.perf_counter()
                qvec = self.embedder.encode([query])[0]
                t["embed"] = _ms(start)
                start = time.perf_counter()
                dense = self.store.vectors.search(qvec, self.candidates, allowed)
                t["dense"] = _ms(start)
            if mode != "dense":
                start = time.perf_counter()
                lexical = self.store.bm25.search(query, self.candidates, allowed)
                t["bm25"] = _ms(start)
            if mode == "dense":
                ranked = dense
            elif mode == "bm25":
                ranked = lexical
            else:
                start = time.perf_counter()
                ranked = rrf([[i for i, _ in dense], [i for i, _ in lexical]])
                t["fuse"] = _ms(start)
            start = time.perf_counter()
            pool = [
                i for i, _ in ranked[: max(k, self.candidates if mode == "hybrid_rerank" else k)]
            ]
            hits = self._evidence(query, qvec, pool, dict(ranked))
            if mode == "hybrid_rerank":
                for h in hits:
                    h.score = h.cosine + COVERAGE_WEIGHT * h.coverage
                hits.sort(key=lambda h: (-h.score, h.chunk_id))
                t["rerank"] = _ms(start)
        return hits[:k], t

    def _evidence(self, query: str, qvec, pool: list[int], base: dict[int, float]) -> list[Hit]:  # type: ignore[no-untyped-def]
        """Cosine and idf-weighted term coverage of each pooled chunk."""
        if qvec is None:
            qvec = self.embedder.encode([query])[0]
        vecs = self.store.embeddings(pool)
        chunks = self.store.chunks(pool)
        terms = set(tokenize(query))
        weights = {t: self.store.bm25.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        hits = []
        for i in pool:
            if i not in chunks:
                continue
            present = set(tokenize(chunks[i].title + " " + chunks[i].text))
            coverage = sum(w for t, w in weights.items() if t in present) / total
            share = len(terms & present) / max(1, len(terms))
            hits.append(Hit(i, base.get(i, 0.0), float(np.dot(qvec, vecs[i])), coverage, share))
        return hits


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1e3
