"""Offline evaluation over BBC News: retrieval (dense, BM25, hybrid, hybrid + re-rank side by
side) and answers (EM/F1, citation precision, groundedness). Writes
`artifacts/rag_service/eval_report.{json,md}`.

    python -m phase4_llm.rag_service.evaluate [--per-category 30] [--embedder minilm]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from phase4_llm.rag_service import metrics as M
from phase4_llm.rag_service.corpus import bbc_documents
from phase4_llm.rag_service.embedding import make_embedder
from phase4_llm.rag_service.eval_set import build_questions
from phase4_llm.rag_service.pipeline import RAGPipeline
from phase4_llm.rag_service.retrieval import MODES

REPO = Path(__file__).resolve().parents[2]
ANSWER_COLUMNS = ("em", "f1", "citation_precision", "groundedness", "answered")
K = 5
# Documented minimums; the test fails below them (measured values are well above: see README).
# Groundedness is averaged over answered questions (a "not found" reply claims nothing).
MINIMUMS = {
    "hybrid_rerank": {"recall@5": 0.9, "mrr": 0.85},
    "bm25": {"recall@5": 0.9},
    "answer": {"em": 0.8, "f1": 0.8, "citation_precision": 0.85, "groundedness": 0.9},
}


def evaluate(per_category: int = 30, embedder: str = "minilm", folder: Path | None = None) -> dict:
    """Ingest the slice, ask every question in every mode, return the metrics."""
    questions = build_questions(per_category)
    docs = bbc_documents(per_category)
    with tempfile.TemporaryDirectory() as tmp:
        emb = make_embedder(embedder, REPO / ".cache" / "rag_service" / "embeddings.sqlite")
        pipe = RAGPipeline(Path(folder or tmp), emb)
        start = time.perf_counter()
        pipe.upsert(docs)
        ingest_s = time.perf_counter() - start
        report: dict = {
            "embedder": emb.name,
            "documents": len(docs),
            "chunks": len(pipe.store.vectors),
            "questions": len(questions),
            "k": K,
            "ingest_s": round(ingest_s, 2),
            "retrieval": {},
            "answer": {},
        }
        for mode in MODES:
            rows = []
            for q in questions:
                hits, _ = pipe.retriever.retrieve(q.question, k=20, mode=mode)
                chunks = pipe.store.chunks([h.chunk_id for h in hits])
                ranked = [chunks[h.chunk_id].doc_id for h in hits]
                rows.append(
                    (
                        M.recall_at_k(ranked, q.gold_doc, 1),
                        M.recall_at_k(ranked, q.gold_doc, K),
                        M.reciprocal_rank(ranked, q.gold_doc),
                        M.ndcg_at_k(ranked, q.gold_doc, K),
                    )
                )
            a = np.mean(rows, axis=0)
            report["retrieval"][mode] = {
                "recall@1": a[0],
                f"recall@{K}": a[1],
                "mrr": a[2],
                f"ndcg@{K}": a[3],
            }
        answers: list[Any] = []
        samples: list[Any] = []
        for q in questions:
            ans = pipe.query(q.question, k=4)
            cited_docs = [c["doc_id"] for c in ans.citations]
            texts = [c["snippet"] for c in ans.citations]
            full = _cited_texts(pipe, ans.citations) or texts
            answers.append(
                (
                    M.exact_match(ans.short_answer, q.answer),
                    M.f1(ans.short_answer, q.answer),
                    M.citation_precision(cited_docs, q.gold_doc),
                    M.groundedness(ans.answer, full),
                    float(ans.found),
                )
            )
            if len(samples) < 5:
                samples.append(
                    {
                        "question": q.question,
                        "reference": q.answer,
                        "gold": q.gold_doc,
                        "answer": ans.answer,
                        "short_answer": ans.short_answer,
                        "citations": [c["chunk_id"] for c in ans.citations],
                    }
                )
        a = np.mean(answers, axis=0)
        answered = [r[3] for r in answers if r[4]]
        report["answer"] = {
            "em": a[0],
            "f1": a[1],
            "citation_precision": a[2],
            "groundedness": float(np.mean(answered)) if answered else 0.0,
            "answered": a[4],
        }
        report["samples"] = samples
        pipe.close()
    report["minimums"] = MINIMUMS
    report["failures"] = failures(report)
    return _round(report)


def failures(report: dict) -> list[str]:
    """Every metric below its documented minimum."""
    out = []
    for group, mins in MINIMUMS.items():
        got = report["answer"] if group == "answer" else report["retrieval"][group]
        out += [f"{group} {m}: {got[m]:.3f} < {v}" for m, v in mins.items() if got[m] < v]
    return out


def _cited_texts(pipe: RAGPipeline, citations: list[dict]) -> list[str]:
    rows = (
        pipe.store.db.execute(
            "SELECT text FROM chunks WHERE doc_id || '#' || ord IN "
            f"({','.join('?' * len(citations))})",
            [c["chunk_id"] for c in citations],
        ).fetchall()
        if citations
        else []
    )
    return [r[0] for r in rows]


def _round(obj):  # type: ignore[no-untyped-def]
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return round(float(obj), 4)
    return obj


def to_markdown(report: dict) -> str:
    """The report as Markdown tables."""
    lines = [
        f"# RAG evaluation ({report['embedder']}, {report['documents']} BBC articles, "
        f"{report['chunks']} chunks, {report['questions']} questions)",
        "",
        "| mode | recall@1 | recall@5 | MRR | nDCG@5 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for mode, m in report["retrieval"].items():
        lines.append(
            "| "
            + " | ".join(
                [mode] + [f"{m[c]:.3f}" for c in ("recall@1", "recall@5", "mrr", "ndcg@5")]
            )
            + " |"
        )
    a = report["answer"]
    lines += [
        "",
        "| EM | F1 | citation precision | groundedness | answered |",
        "| --- | --- | --- | --- | --- |",
        "| " + " | ".join(f"{a[c]:.3f}" for c in ANSWER_COLUMNS) + " |",
        "",
        f"Below minimum: {report['failures'] or 'none'}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-category", type=int, default=30)
    parser.add_argument("--embedder", default="minilm", choices=("minilm", "hashing"))
    parser.add_argument("--out", default=str(REPO / "artifacts" / "rag_service"))
    args = parser.parse_args(argv)
    report = evaluate(args.per_category, args.embedder)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval_report.json").write_text(json.dumps(report, indent=2))
    (out / "eval_report.md").write_text(to_markdown(report))
    print(to_markdown(report))
    print(f"written to {out}")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
