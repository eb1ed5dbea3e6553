"""Offline evaluation over BBC News, both splits (natural questions written by the project, and
template cloze questions), on the whole corpus by default: retrieval per mode, answers per
generator, and the trivial TF-IDF baseline beside them. Writes
`artifacts/rag_service/eval_report.{json,md}`.

    python -m phase4_llm.rag_service.evaluate [--per-category N] [--embedder minilm]
        [--generators extractive,smollm2] [--llm-limit 30] [--splits natural,cloze]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from phase4_llm.rag_service import eval_metrics as E
from phase4_llm.rag_service.baseline_tfidf import TfidfBaseline, fit_decline_threshold
from phase4_llm.rag_service.calibration import FIT_PARTS, MAX_FALSE_DECLINE
from phase4_llm.rag_service.corpus import bbc_documents
from phase4_llm.rag_service.embedding import make_embedder
from phase4_llm.rag_service.eval_report import to_markdown
from phase4_llm.rag_service.eval_set import (
    EvalItem,
    cloze_items,
    natural_parts,
    natural_questions,
    training_questions,
)
from phase4_llm.rag_service.eval_summary import (
    BASELINE,
    compare_on_samples,
    decline_below,
    fit_evidence_threshold,
    round_floats,
    summarise_parts,
)
from phase4_llm.rag_service.generators import make_generator
from phase4_llm.rag_service.pipeline import Document, RAGPipeline
from phase4_llm.rag_service.reader import load_reader
from phase4_llm.rag_service.retrieval import MODES

REPO = Path(__file__).resolve().parents[2]
SPLITS = ("natural", "train", "cloze")
# Extractive answers with the trained reader (reader.py) re-ordering the pool: kind -> backend
# ("reader" is the service's default, int8 ONNX; "reader-torch" the same weights in torch).
READER_KINDS = {"reader": "int8", "reader-torch": "torch"}
EXTRACTIVE = ("extractive", *READER_KINDS)
# Chunks an answer is chosen from: 6 beat 4 and 3 on the natural split's dev part (the
# gold answer is in one of them more often; the sentence score picks among them).
ANSWER_K = 6
# Documented minimums of the cloze split; `make eval-rag` exits 1 below them.
# Groundedness is averaged over answered questions (a "not found" reply claims nothing).
MINIMUMS = {
    "hybrid_rerank": {"recall@5": 0.9, "mrr": 0.85},
    "bm25": {"recall@5": 0.9},
    "answer": {"em": 0.8, "f1": 0.8, "citation_precision": 0.85, "groundedness": 0.9},
}
# Goals on the natural split's held-out part with the extractive generator ("max": at most).
TARGETS = {
    "em": 0.6,
    "contains_gold": 0.85,
    "citation_support": 0.9,
    "decline_recall": 0.9,
    "false_decline_rate": ("max", 0.05),
}


def split_items(split: str, corpus_ids: set[str]) -> list[EvalItem]:
    """A split's questions whose gold article is in the corpus (unanswerable ones always)."""
    loaders = {"natural": natural_questions, "train": training_questions}
    items = loaders[split]() if split in loaders else cloze_items(30)
    return [q for q in items if not q.answerable or set(q.gold_docs) & corpus_ids]


def split_parts(split: str, items: list[EvalItem]) -> dict[str, str]:
    """qid -> part: dev / heldout on the natural split, "train" on the training split."""
    if split == "natural":
        return natural_parts(natural_questions())
    return {q.qid: "train" for q in items} if split == "train" else {}


def evaluate(
    per_category: int | None = None,
    embedder: str = "minilm",
    generators: tuple[str, ...] = ("extractive",),
    splits: tuple[str, ...] = SPLITS,
    llm_limit: int | None = None,
    docs: list[Document] | None = None,
    folder: Path | None = None,
    max_questions: int | None = None,
) -> dict:
    """Ingest the corpus, ask every split with every generator and the baseline, return metrics.

    `llm_limit` caps the questions per split for generators other than extractive (a seeded
    sample; the extractive figures on the same sample are reported beside them);
    `max_questions` caps every split the same way (quick runs and tests).
    """
    docs = docs if docs is not None else bbc_documents(per_category)
    ids = {d.doc_id for d in docs}
    data = {s: _sample(split_items(s, ids), max_questions) for s in splits}
    with tempfile.TemporaryDirectory() as tmp:
        emb = make_embedder(embedder, REPO / ".cache" / "rag_service" / "embeddings.sqlite")
        pipe = RAGPipeline(Path(folder or tmp), emb)
        start = time.perf_counter()
        pipe.upsert(docs)
        report: dict[str, Any] = {
            "embedder": emb.name,
            "documents": len(docs),
            "chunks": len(pipe.store.vectors),
            "ingest_s": time.perf_counter() - start,
            "generators": list(generators),
            "llm_limit": llm_limit,
            "splits": {},
        }
        baseline = TfidfBaseline(docs)
        parts = {split: split_parts(split, items) for split, items in data.items()}
        asked = {split: _baseline_answers(baseline, items) for split, items in data.items()}
        baseline.min_cosine = _fit_baseline(data, asked, parts)
        for split, items in data.items():
            report["splits"][split] = _split_report(
                pipe, baseline, items, parts[split], asked[split]
            )
        fitted: dict[str, float] = {}
        for kind in generators:
            try:
                pipe.generator, pipe.reader = _configure(pipe, kind)
            except Exception as exc:  # a missing model is reported, not fatal
                report.setdefault("skipped", {})[kind] = f"{type(exc).__name__}: {exc}"
                continue
            # Every question is answered; the decline threshold is applied afterwards,
            # fitted on the fit parts with the extractive evidence (with or without reader).
            shipped, pipe.min_evidence = pipe.default_min_evidence(), float("-inf")
            rows = {
                split: [
                    _ask(pipe, q)
                    for q in (items if kind in EXTRACTIVE else _sample(items, llm_limit))
                ]
                for split, items in data.items()
            }
            if kind in EXTRACTIVE:
                fitted[kind] = fit_evidence_threshold(
                    [r for split in rows for r in rows[split]],
                    {q: p for split in parts for q, p in parts[split].items()},
                    FIT_PARTS,
                    shipped,
                )
            threshold = fitted.get(kind, fitted.get("extractive", shipped))
            for split, items in data.items():
                report["splits"][split].setdefault("min_evidence", {})[kind] = threshold
                decline_below(rows[split], threshold)
                _add_rows(report["splits"][split], kind, rows[split], items)
            pipe.generator, pipe.reader = pipe.fallback, None
            pipe.min_evidence = pipe.default_min_evidence()
        pipe.close()
    compare_on_samples(report)
    summarise_parts(report)
    report["minimums"], report["targets"] = MINIMUMS, TARGETS
    report["failures"] = failures(report)
    report["target_misses"] = target_misses(report)
    return round_floats(report)


def _configure(pipe: RAGPipeline, kind: str) -> tuple[Any, Any]:
    """(generator, reader) for a generator kind; "reader" is extractive with the reader."""
    if kind in READER_KINDS:
        reader = load_reader(backend=READER_KINDS[kind])
        if reader is None:
            raise FileNotFoundError(
                "no trained reader: python -m phase4_llm.rag_service.train_reader"
            )
        return pipe.fallback, reader
    return make_generator(kind), None


def _baseline_answers(baseline: TfidfBaseline, items: list[EvalItem]) -> list[tuple[Any, float]]:
    """The baseline's answer to each question, with its latency in ms."""
    timed = []
    for q in items:
        start = time.perf_counter()
        a = baseline.answer(q.question)
        timed.append((a, (time.perf_counter() - start) * 1000))
    return timed


def _fit_baseline(
    data: dict[str, list[EvalItem]], asked: dict[str, list], parts: dict[str, dict[str, str]]
) -> float:
    """The baseline's decline threshold, fitted at the pipeline's rule on the fit parts (on a
    whole split when no split has them, as in a cloze-only run)."""
    fit = [
        (a.score, q.answerable)
        for split, items in data.items()
        for q, (a, _) in zip(items, asked[split], strict=True)
        if parts[split].get(q.qid) in FIT_PARTS
    ]
    if not fit:
        fit = [
            (a.score, q.answerable)
            for split, items in data.items()
            for q, (a, _) in zip(items, asked[split], strict=True)
        ]
    return fit_decline_threshold([x for x, _ in fit], [y for _, y in fit], MAX_FALSE_DECLINE)


def _split_report(
    pipe: RAGPipeline,
    baseline: TfidfBaseline,
    items: list[EvalItem],
    parts: dict[str, str],
    timed: list[tuple[Any, float]],
) -> dict:
    """Retrieval and baseline figures of one split; `parts` maps qid -> dev/heldout/train and
    `timed` holds the baseline's answers (its threshold already fitted)."""
    answerable = [q for q in items if q.answerable]
    out: dict[str, Any] = {
        "parts": {q.qid: parts[q.qid] for q in items if q.qid in parts},
        "questions": len(items),
        "unanswerable": len(items) - len(answerable),
        "retrieval": {},
        "answers": {},
        "by_type": {},
        "by_tag": {},
        "rows": {},
    }
    golds = [q.gold_docs for q in answerable]
    for mode in MODES:
        ranked = []
        for q in answerable:
            hits, _ = pipe.retriever.retrieve(q.question, k=20, mode=mode)
            chunks = pipe.store.chunks([h.chunk_id for h in hits])
            ranked.append([chunks[h.chunk_id].doc_id for h in hits])
        out["retrieval"][mode] = E.retrieval_summary(ranked, golds)
    by_qid = {q.qid: a for q, (a, _) in zip(items, timed, strict=True)}
    ranked_base = [by_qid[q.qid].ranked_docs for q in answerable]
    out["retrieval"][BASELINE] = E.retrieval_summary(ranked_base, golds)
    out["baseline_min_cosine"] = baseline.min_cosine
    rows = [_baseline_row(baseline, q, a, ms) for q, (a, ms) in zip(items, timed, strict=True)]
    _add_rows(out, BASELINE, rows, items)
    return out


def _sample(items: list[EvalItem], limit: int | None) -> list[EvalItem]:
    """A seeded sample of `limit` items keeping the split's share of unanswerable ones."""
    if limit is None or limit >= len(items):
        return items
    rng = random.Random(19)
    unans = [i for i, q in enumerate(items) if not q.answerable]
    ans = [i for i, q in enumerate(items) if q.answerable]
    n_unans = round(limit * len(unans) / len(items))
    chosen = set(rng.sample(unans, n_unans)) | set(rng.sample(ans, limit - n_unans))
    return [q for i, q in enumerate(items) if i in chosen]


def _row(
    q: EvalItem,
    found: bool,
    short: str,
    answer: str,
    cited: list[tuple[str, str]],
    ms: float,
    grounded: float,
) -> dict:
    """One question's scores; `cited` is (doc id, cited text) per citation."""
    ok = found and q.answerable
    return {
        "qid": q.qid,
        "answerable": q.answerable,
        "found": found,
        "short_answer": short,
        "em": E.best_em(short, q.answers) if ok else 0.0,
        "f1": E.best_f1(short, q.answers) if ok else 0.0,
        "contains": E.contains_answer(answer, q.answers) if ok else 0.0,
        "citation_precision": (
            sum(d in q.gold_docs for d, _ in cited) / len(cited) if ok and cited else 0.0
        ),
        "support": float(any(E.contains_answer(t, q.answers) for _, t in cited)) if ok else 0.0,
        "groundedness": grounded,
        "latency_ms": ms,
    }


def _ask(pipe: RAGPipeline, q: EvalItem) -> dict:
    start = time.perf_counter()
    ans = pipe.query(q.question, k=ANSWER_K)
    ms = (time.perf_counter() - start) * 1000
    texts = _cited_texts(pipe, ans.citations)
    cited = [(c["doc_id"], texts.get(c["chunk_id"], c["snippet"])) for c in ans.citations]
    grounded = E.M.groundedness(ans.answer, [t for _, t in cited]) if ans.found else 0.0
    row = _row(q, ans.found, ans.short_answer, ans.answer, cited, ms, grounded)
    row["confidence"] = ans.confidence
    return row


def _baseline_row(baseline: TfidfBaseline, q: EvalItem, a: Any, ms: float) -> dict:
    found = not baseline.declines(a)
    row = _row(q, found, a.sentence, a.sentence, [(a.doc_id, a.sentence)], ms, float(found))
    row["confidence"] = {"cosine": a.score}
    return row


def _add_rows(out: dict, name: str, rows: list[dict], items: list[EvalItem]) -> None:
    out["answers"][name] = E.summarise(rows)
    out["rows"][name] = rows
    meta = {q.qid: q for q in items}
    keys = {"em", "f1", "contains_gold", "answered"}
    groups: dict[str, dict[str, list[dict]]] = {"by_type": {}, "by_tag": {}}
    for r in rows:
        q = meta[r["qid"]]
        groups["by_type"].setdefault(q.type, []).append(r)
        for tag in q.tags:
            groups["by_tag"].setdefault(tag, []).append(r)
    for group, subsets in groups.items():
        for key, sub in subsets.items():
            summary = E.summarise(sub)
            out[group].setdefault(key, {})[name] = {k: summary[k] for k in keys} | {"n": len(sub)}


def failures(report: dict) -> list[str]:
    """Every cloze-split metric below its documented minimum."""
    cloze = report["splits"].get("cloze")
    if cloze is None or "extractive" not in cloze["answers"]:
        return []
    out = []
    for group, mins in MINIMUMS.items():
        got = cloze["answers"]["extractive"] if group == "answer" else cloze["retrieval"][group]
        out += [f"cloze {group} {m}: {got[m]:.3f} < {v}" for m, v in mins.items() if got[m] < v]
    return out


def target_misses(report: dict) -> list[str]:
    """The natural split's goals (held-out part; extractive, and with the reader when it ran)
    that are not met yet."""
    held = report["splits"].get("natural", {}).get("by_part", {}).get("heldout", {})
    out = []
    for kind in EXTRACTIVE:
        if kind not in held:
            continue
        for metric, goal in TARGETS.items():
            at_most = isinstance(goal, tuple)
            value, bound = held[kind][metric], goal[1] if isinstance(goal, tuple) else goal
            if value is None or (value > bound if at_most else value < bound):
                shown = value if value is None else round(value, 3)
                out.append(
                    f"natural held-out {kind} {metric}: {shown} {'>' if at_most else '<'} {bound}"
                )
    return out


def _cited_texts(pipe: RAGPipeline, citations: list[dict]) -> dict[str, str]:
    if not citations:
        return {}
    rows = pipe.store.db.execute(
        "SELECT doc_id || '#' || ord, text FROM chunks WHERE doc_id || '#' || ord IN "
        f"({','.join('?' * len(citations))})",
        [c["chunk_id"] for c in citations],
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-category", type=int, default=None, help="default: whole corpus")
    parser.add_argument("--embedder", default="minilm", choices=("minilm", "hashing"))
    # SmolLM2 is slow on CPU (seconds a question): it answers a seeded sample of each split.
    # "reader" needs `python -m phase4_llm.rag_service.train_reader` first (skipped without).
    parser.add_argument("--generators", default="extractive,reader,smollm2")
    parser.add_argument("--llm-limit", type=int, default=30)
    parser.add_argument("--splits", default=",".join(SPLITS))
    parser.add_argument("--out", default=str(REPO / "artifacts" / "rag_service"))
    args = parser.parse_args(argv)
    report = evaluate(
        args.per_category,
        args.embedder,
        tuple(args.generators.split(",")),
        tuple(args.splits.split(",")),
        args.llm_limit,
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval_report.json").write_text(json.dumps(report, indent=1))
    (out / "eval_report.md").write_text(to_markdown(report))
    print(to_markdown(report))
    print(f"written to {out}")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
