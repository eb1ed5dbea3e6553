"""The RAG pipeline: upsert/delete documents, answer queries with citations and timings.

Writes and queries take a `Viewer` (who is asking); in-process callers default to `ADMIN`,
which sees every document. A batch upsert is prepared completely (cleaned, chunked, embedded)
before one store transaction writes all of it, so a failure leaves none of the batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from phase4_llm.rag_service.access import ADMIN, Viewer
from phase4_llm.rag_service.answer_choice import (
    absent_names,
    answer_order,
    answer_pool,
    close_runners,
    evidence_score,
    scored_order,
    unknown_terms,
)
from phase4_llm.rag_service.answer_span import Choice, rank_sentences
from phase4_llm.rag_service.chunking import content_hash, load_text, split_chunks
from phase4_llm.rag_service.embedding import Embedder
from phase4_llm.rag_service.generators import ExtractiveGenerator, Generator
from phase4_llm.rag_service.reader import PairScorer
from phase4_llm.rag_service.retrieval import Retriever
from phase4_llm.rag_service.safety import redact_pii, strip_injections
from phase4_llm.rag_service.sentence_sim import SentenceSimilarity
from phase4_llm.rag_service.store import DocumentStore, PreparedDocument

NOT_FOUND = "not found in the documents"
# The evidence score below which a question is declined: `calibration.fit_threshold` on the
# natural split's dev part and the training split at its false-decline budget (README,
# Answering); the held-out part is scored with it. The score holds the question-sentence
# cosine, whose scale depends on the embedder: one fit for each (MIN_EVIDENCE: fp32 MiniLM,
# and any embedder without its own fit).
MIN_EVIDENCE = 0.915
# Candidate answer sentences (`answer_choice.answer_pool`) whose embedding cosine is computed.
EVIDENCE_SENTENCES = 8
# With a reader, the pool's best 4 (by the rules) are read and form the pool: reading 8 cost
# twice as long and chose no better (a one-off study on the natural and training splits;
# README, Answering).
READ_SENTENCES = 4
MIN_EVIDENCE_BY_EMBEDDER = {
    # the default encoder (int8 ONNX): fitted on the dev part and the training split (v2)
    "all-MiniLM-L6-v2-int8": 0.866,
    "all-MiniLM-L6-v2": MIN_EVIDENCE,  # fp32 (RAG_ENCODER=onnx or torch): fitted the same way
    "hashing-384": 0.341,  # fitted the same way
}
# With the reader (`reader.py`) its best score replaces the cosine in the evidence, which then
# no longer depends on the embedder: one threshold per reader backend, fitted like the int8
# encoder's (its int8 graph moves the logits, so it has its own fit).
MIN_EVIDENCE_WITH_READER = {"torch": -0.569, "onnx": -0.569, "int8": -0.532}


@dataclass
class Document:
    """A document to ingest: id, raw content and its format."""

    doc_id: str
    text: str
    format: str = "text"
    title: str = ""
    source: str = ""
    visibility: str = "private"  # or "public": every caller, anonymous ones too, may retrieve it


@dataclass
class Candidates:
    """What an answer is chosen from: the retrieved chunks (`hits`, `chunks`, `contexts`),
    every sentence by lexical evidence (`ranked`), and the answer pool with each sentence's
    question cosine (`sims`) and reader score (`reads`, empty without a reader)."""

    hits: list[Any]
    chunks: dict[int, Any]
    contexts: list[str]
    ranked: list[Choice]
    pool: list[Choice]
    chunk_scores: list[float]
    sims: list[float]
    reads: list[float]
    timings: dict[str, float]
    answer_start: float  # perf_counter() when retrieval ended and answering began

    def order(self) -> list[Choice]:
        """The pool, most likely answer sentence first."""
        return answer_order(self.pool, self.chunk_scores, self.sims, self.reads or None)

    def scored(self) -> list[tuple[Choice, float]]:
        """The pool in `order()`, each sentence with its score."""
        return scored_order(self.pool, self.chunk_scores, self.sims, self.reads or None)


@dataclass
class Answer:
    """A query's answer, its citations (number -> chunk), and per-stage latency in ms."""

    answer: str
    short_answer: str
    found: bool
    citations: list[dict]
    latency_ms: dict[str, float]
    confidence: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class RAGPipeline:
    """Ingest into a `DocumentStore`, retrieve with a `Retriever`, answer with a `Generator`.

    `min_evidence`: below it the answer is "not found in the documents" (default: the dev fit
    for the embedder). The evidence score (`answer_choice.evidence_score`) combines the best
    sentence's idf-weighted coverage of the question, the best question-sentence cosine and
    how well a span of the asked type fits; it is the same for every generator.
    """

    def __init__(
        self,
        folder: Path,
        embedder: Embedder,
        generator: Generator | None = None,
        *,
        max_tokens: int = 160,
        overlap: int = 32,
        min_evidence: float | None = None,
        reader: PairScorer | None = None,
    ) -> None:
        self.embedder = embedder
        self.store = DocumentStore(Path(folder), embedder.name)
        self.retriever = Retriever(self.store, embedder)
        # Question-sentence cosines for the decline evidence (same embedder as the store).
        self.similarity = SentenceSimilarity(embedder.encode)
        self.fallback = ExtractiveGenerator(idf=self._idf)
        self.generator = generator or self.fallback
        self.max_tokens, self.overlap = max_tokens, overlap
        self.reader = reader
        self.min_evidence = self.default_min_evidence() if min_evidence is None else min_evidence
        # Optional second injection check on document sentences (e.g. SemanticScreen.flags).
        self.injection_screen: Callable[[list[str]], list[bool]] | None = None

    def default_min_evidence(self) -> float:
        """The shipped "not found" threshold for this embedder, with or without the reader."""
        if self.reader:
            return MIN_EVIDENCE_WITH_READER[self.reader.backend]
        return MIN_EVIDENCE_BY_EMBEDDER.get(self.embedder.name, MIN_EVIDENCE)

    def upsert(
        self, docs: list[Document], *, persist: bool = True, viewer: Viewer = ADMIN
    ) -> list[dict]:
        """Add or replace documents as one all-or-nothing batch; unchanged ones are a no-op.

        New documents are owned by `viewer.principal` ("" for in-process callers); replacing
        another principal's document raises `OwnershipError` and writes nothing.
        """
        out: list[dict] = []
        pending: list[tuple[dict, list]] = []
        for doc in docs:
            digest = content_hash(
                f"{doc.format}\0{doc.title}\0{doc.source}\0{doc.visibility}\0{doc.text}"
            )
            old = self.store.document(doc.doc_id)
            if old is not None and old["content_hash"] == digest and viewer.owns(old["owner"]):
                out.append(
                    {"doc_id": doc.doc_id, "status": "unchanged", "n_chunks": old["n_chunks"]}
                )
                continue
            text, title = load_text(doc.text, doc.format)
            text, flagged = strip_injections(text, self.injection_screen)
            title = doc.title or title
            chunks = split_chunks(
                doc.doc_id,
                text,
                title=title,
                source=doc.source,
                max_tokens=self.max_tokens,
                overlap=self.overlap,
            )
            meta = {
                "doc_id": doc.doc_id,
                "title": title,
                "source": doc.source,
                "content_hash": digest,
                "flagged": flagged,
                "owner": viewer.principal or "",
                "visibility": doc.visibility,
            }
            pending.append((meta, chunks))
            out.append(
                {
                    "doc_id": doc.doc_id,
                    "status": "updated" if old else "created",
                    "n_chunks": len(chunks),
                    "flagged": flagged,
                }
            )
        # One encode call for the whole batch: the model sees full batches, not one
        # document's few chunks at a time.
        vectors = self.embedder.encode([c.title + "\n" + c.text for _, cs in pending for c in cs])
        batch: list[PreparedDocument] = []
        for meta, chunks in pending:
            batch.append(PreparedDocument(meta, chunks, vectors[: len(chunks)]))
            vectors = vectors[len(chunks) :]
        self.store.replace_documents(batch, viewer, persist=persist)
        return out

    def _idf(self, term: str) -> float:
        return self.store.bm25.idf(term)

    def delete(self, doc_id: str, viewer: Viewer = ADMIN) -> bool:
        """Remove a document everywhere; False when it did not exist or is not `viewer`'s."""
        return self.store.delete_document(doc_id, viewer)

    def candidates(
        self, query: str, k: int = 6, mode: str = "hybrid_rerank", viewer: Viewer = ADMIN
    ) -> Candidates:
        """Retrieve the top-`k` chunks `viewer` may see and score their sentences."""
        hits, timings = self.retriever.retrieve(query, k, mode, viewer)
        chunks = self.store.chunks([h.chunk_id for h in hits]) if hits else {}
        hits = [h for h in hits if h.chunk_id in chunks]
        contexts = [chunks[h.chunk_id].text for h in hits]
        g0 = time.perf_counter()
        ranked = rank_sentences(query, contexts, self._idf) if contexts else []
        # Only the pool of likely answer sentences is embedded (and read): the best cosine
        # among 8 equals the one among all sentences nearly always (dev part), at a fraction
        # of the cost.
        chunk_scores = [h.score for h in hits]
        pool = answer_pool(
            ranked, chunk_scores, READ_SENTENCES if self.reader else EVIDENCE_SENTENCES
        )
        sentences = [c.sentence for c in pool]
        # The reader's scores take the place of the cosine (answer_choice.READER_WEIGHT).
        sims = [0.0] * len(pool) if self.reader else self.similarity.sims(query, sentences)
        r0 = time.perf_counter()
        reads = self.reader.score(query, sentences) if self.reader and sentences else []
        if self.reader:
            timings["read"] = (time.perf_counter() - r0) * 1e3
        return Candidates(
            hits, chunks, contexts, ranked, pool, chunk_scores, sims, reads, timings, g0
        )

    def query(
        self, query: str, k: int = 6, mode: str = "hybrid_rerank", viewer: Viewer = ADMIN
    ) -> Answer:
        """Answer `query` from the top-`k` chunks `viewer` may see, citing them, or say it is
        not found."""
        start = time.perf_counter()
        cand = self.candidates(query, k, mode, viewer)
        hits, chunks, contexts, timings = cand.hits, cand.chunks, cand.contexts, cand.timings
        top = hits[0] if hits else None
        g0 = cand.answer_start  # "generate" counts sentence choice, cosines and reader too
        # The decline decision is the extractive evidence, whichever generator answers.
        ranked = cand.ranked
        choice = ranked[0] if ranked else None
        cosine = max(cand.sims, default=0.0)
        read = max(cand.reads) if cand.reads else None
        unknown = unknown_terms(query, self.store.bm25.df)
        absent = absent_names(query, [chunks[h.chunk_id].title for h in hits] + contexts)
        evidence = evidence_score(choice, cosine, unknown, absent, read)
        confidence = {
            "term_share": top.term_share if top else 0.0,
            "cosine": top.cosine if top else 0.0,
            "relevance": choice.relevance if choice else 0.0,
            "sentence_cosine": cosine,
            "typed": float(choice.typed) if choice else 0.0,
            "unknown_terms": float(unknown),
            "absent_names": float(absent),
            "evidence": evidence,
        }
        if read is not None:
            confidence["reader"] = read
        citations: list[dict] = []
        text, short = NOT_FOUND, ""
        if choice is not None and evidence >= self.min_evidence:
            if isinstance(self.generator, ExtractiveGenerator) and self.generator.idf is None:
                self.generator.idf = self._idf  # one built by make_generator: this store's idf
            if isinstance(self.generator, ExtractiveGenerator) and "___" not in query:
                # The answer sentence by lexical evidence, retrieval score, cosine (and reader);
                # with the reader, the runners-up quoted beside it come from the same order.
                scored = cand.scored()
                runners = close_runners(scored) if cand.reads else None
                gen = self.generator.quote(ranked, scored[0][0], runners)
            else:
                gen = self.generator.generate(query, contexts)
            if not gen.cited and self.generator is not self.fallback:
                gen = self.fallback.generate(query, contexts)  # uncited model output is not trusted
                confidence["fallback"] = 1.0
            timings["generate"] = (time.perf_counter() - g0) * 1e3
            if gen.cited:
                text, _ = redact_pii(gen.text)
                short, _ = redact_pii(gen.short_answer)
                for n in gen.cited:
                    c = chunks[hits[n - 1].chunk_id]
                    citations.append(
                        {
                            "n": n,
                            "chunk_id": f"{c.doc_id}#{c.ord}",
                            "doc_id": c.doc_id,
                            "title": c.title,
                            "snippet": redact_pii(c.text[:300])[0],
                            "score": round(hits[n - 1].score, 6),
                            "start": c.start,
                            "end": c.end,
                        }
                    )
        timings["total"] = (time.perf_counter() - start) * 1e3
        return Answer(
            text,
            short,
            bool(citations),
            citations,
            {k: round(v, 3) for k, v in timings.items()},
            confidence,
        )

    def close(self) -> None:
        self.store.close()
