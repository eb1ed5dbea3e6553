"""Checks: BM25 equals hand-computed Okapi, FAISS flat equals NumPy brute force, deletes stick."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

DOCS = ["the cat sat on the mat", "the dog sat", "cat and dog and cat", "a bird flew over the mat"]


def hand_bm25(
    query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75
) -> list[float]:
    """Okapi BM25 with Lucene idf, written out term by term as in the textbook formula."""
    n, avgdl = len(docs), sum(map(len, docs)) / len(docs)
    out = []
    for d in docs:
        s = 0.0
        for t in query:
            df = sum(t in dd for dd in docs)
            tf = d.count(t)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            s += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(d) / avgdl))
        out.append(s)
    return out


def checks() -> list[ParityResult]:
    """BM25 vs hand formula, FAISS vs brute force, and the deletion behaviour."""
    from phase4_llm.rag_service.bm25 import BM25Index, tokenize
    from phase4_llm.rag_service.embedding import HashingEmbedder
    from phase4_llm.rag_service.pipeline import Document, RAGPipeline
    from phase4_llm.rag_service.vector_index import VectorIndex

    out = []
    index = BM25Index()
    for i, d in enumerate(DOCS):
        index.add(i, d)
    query = "cat mat dog"
    scores = index.scores(query)
    ours = [scores.get(i, 0.0) for i in range(len(DOCS))]
    ref = hand_bm25(tokenize(query), [tokenize(d) for d in DOCS])
    out.append(
        compare(
            "bm25 scores vs hand-computed Okapi",
            ours,
            ref,
            reference="hand-computed BM25",
            rtol=1e-12,
        )
    )

    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((500, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vindex = VectorIndex.build(np.arange(500), vecs)
    q = vecs[7] + 0.1 * rng.standard_normal(384).astype(np.float32)
    got = vindex.search(q, 10)
    brute = vecs @ q
    top = np.argsort(-brute, kind="stable")[:10]
    out.append(
        compare(
            "faiss flat top-10 ids vs numpy brute force",
            [i for i, _ in got],
            top,
            reference=f"numpy {np.__version__} ({reference_version('faiss-cpu')})",
            exact=True,
        )
    )
    out.append(
        compare(
            "faiss flat scores vs numpy brute force",
            [s for _, s in got],
            brute[top],
            reference=f"numpy {np.__version__}",
            rtol=1e-5,
            atol=1e-6,
        )
    )

    with tempfile.TemporaryDirectory() as tmp:
        pipe = RAGPipeline(Path(tmp), HashingEmbedder())
        pipe.upsert(
            [
                Document("keep", "Apples grow on trees in the orchard."),
                Document("gone", "Zebras graze on the savannah near the river."),
            ]
        )
        pipe.delete("gone")
        pipe.close()
        pipe = RAGPipeline(Path(tmp), HashingEmbedder())
        ans = pipe.query("Where do zebras graze?")
        ok = (
            all(c["doc_id"] != "gone" for c in ans.citations)
            and not pipe.store.consistency_errors()
        )
        out.append(behaviour("deleted document never cited after restart", ok, ans.answer))
        pipe.close()
    return out
