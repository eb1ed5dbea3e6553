"""Demo: ingest a slice of BBC News, answer a sample question with citations, show deletes."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from phase4_llm.rag_service.corpus import bbc_documents
from phase4_llm.rag_service.embedding import make_embedder
from phase4_llm.rag_service.pipeline import RAGPipeline

REPO = Path(__file__).resolve().parents[2]
QUESTION = "How much did quarterly profits at TimeWarner jump?"


def main(quick: bool = False) -> None:
    """Ingest (quick: 4 articles per category), ask, cite, delete, ask again."""
    docs = bbc_documents(4 if quick else 40)
    embedder = make_embedder("minilm", REPO / ".cache" / "rag_service" / "embeddings.sqlite")
    with tempfile.TemporaryDirectory() as tmp:
        pipe = RAGPipeline(Path(tmp), embedder)
        start = time.perf_counter()
        pipe.upsert(docs)
        n = len(pipe.store.vectors)
        print(
            f"ingested {len(docs)} BBC articles into {n} chunks"
            f" in {time.perf_counter() - start:.1f} s"
            f" (embedding cache hits {embedder.cache.hits}, misses {embedder.cache.misses})"
        )
        again = pipe.upsert(docs[:3])
        print("re-ingesting unchanged documents:", [r["status"] for r in again])
        for q in (QUESTION, "What is the boiling point of liquid nitrogen on Mars?"):
            ans = pipe.query(q)
            print(f"\nQ: {q}\nA: {ans.answer}")
            for c in ans.citations:
                print(f"  [{c['n']}] {c['chunk_id']} ({c['title']}) score={c['score']:.3f}")
            print("  latency ms:", ans.latency_ms)
        cited = pipe.query(QUESTION).citations
        if cited:
            gone = cited[0]["doc_id"]
            pipe.delete(gone)
            after = pipe.query(QUESTION)
            clean = all(c["doc_id"] != gone for c in after.citations)
            verdict = "never cited again" if clean else "STILL CITED"
            print(
                f"\ndeleted {gone}; cited now: {[c['chunk_id'] for c in after.citations]}"
                f" -> {verdict}"
            )
        print("store consistent:", not pipe.store.consistency_errors())
        pipe.close()
