"""Split-level answer metrics for the evaluation: several gold answers and documents per question,
declines on unanswerable questions, latency percentiles, and the summary of per-question rows.

Per-question scores reuse `metrics` (SQuAD normalisation, EM/F1, groundedness); what is new here
is what a natural question needs: the best score over several gold answers, a hit on any of
several gold documents (a story printed twice in the corpus), and "not found" judged as a
decision (precision/recall of declining) rather than as a wrong answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from phase4_llm.rag_service import metrics as M


def best_em(prediction: str, answers: Sequence[str]) -> float:
    """Exact match against the closest gold answer: `best_em("the 76%", ["76%", "x"]) == 1`."""
    return max((M.exact_match(prediction, a) for a in answers), default=0.0)


def best_f1(prediction: str, answers: Sequence[str]) -> float:
    """Token F1 against the closest gold answer (SQuAD v1.1 takes the max the same way)."""
    return max((M.f1(prediction, a) for a in answers), default=0.0)


def contains_answer(text: str, answers: Sequence[str]) -> float:
    """1 if a normalised gold answer occurs as whole tokens: ("It cost £8m.", ["£8m"]) -> 1."""
    hay = f" {M.normalise_answer(text)} "
    return float(any(f" {M.normalise_answer(a)} " in hay for a in answers if a.strip()))


def recall_any(ranked_docs: list[str], gold: Sequence[str], k: int) -> float:
    """1 if any gold document is among the first `k` distinct documents."""
    return float(bool(set(M.dedupe(ranked_docs)[:k]) & set(gold)))


def reciprocal_rank_any(ranked_docs: list[str], gold: Sequence[str]) -> float:
    """1 / rank of the first gold document among distinct documents (0 when none is found)."""
    for rank, doc in enumerate(M.dedupe(ranked_docs), 1):
        if doc in gold:
            return 1.0 / rank
    return 0.0


def decline_scores(declined: Sequence[bool], answerable: Sequence[bool]) -> dict[str, float | None]:
    """Declining as a classifier of unanswerable questions; None where a ratio has no denominator.

    precision: declined questions that were unanswerable; recall: unanswerable questions
    declined; false_decline_rate: answerable questions declined.
    """
    d = np.asarray(declined, dtype=bool)
    a = np.asarray(answerable, dtype=bool)
    true_declines = int((d & ~a).sum())
    return {
        "decline_precision": true_declines / int(d.sum()) if d.any() else None,
        "decline_recall": true_declines / int((~a).sum()) if (~a).any() else None,
        "false_decline_rate": int((d & a).sum()) / int(a.sum()) if a.any() else None,
    }


def latency_percentiles(ms: Sequence[float]) -> dict[str, float | None]:
    """p50/p95/p99 in ms (linear interpolation, NumPy's default); None for no samples."""
    if not len(ms):
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    p50, p95, p99 = np.percentile(np.asarray(ms, dtype=float), [50, 95, 99])
    return {"p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99)}


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def summarise(rows: list[dict]) -> dict[str, float | int | None]:
    """Aggregate per-question rows into the report's answer metrics.

    Each row holds `answerable`, `found`, `em`, `f1`, `contains`, `citation_precision`,
    `support`, `groundedness` and `latency_ms`. EM, F1 and contains-gold average over answerable
    questions (a decline scores 0); citation precision and support over answerable questions
    that were answered; groundedness over every answered question.
    """
    ans = [r for r in rows if r["answerable"]]
    answered = [r for r in ans if r["found"]]
    out: dict[str, float | int | None] = {
        "questions": len(rows),
        "answerable": len(ans),
        "em": _mean([r["em"] for r in ans]),
        "f1": _mean([r["f1"] for r in ans]),
        "contains_gold": _mean([r["contains"] for r in ans]),
        "citation_precision": _mean([r["citation_precision"] for r in answered]),
        "citation_support": _mean([r["support"] for r in answered]),
        "groundedness": _mean([r["groundedness"] for r in rows if r["found"]]),
        "answered": _mean([float(r["found"]) for r in rows]),
    }
    out.update(decline_scores([not r["found"] for r in rows], [r["answerable"] for r in rows]))
    out.update(latency_percentiles([r["latency_ms"] for r in rows]))
    return out


def retrieval_summary(
    ranked: Sequence[list[str]], golds: Sequence[Sequence[str]]
) -> dict[str, float]:
    """recall@1, recall@5 and MRR of ranked document lists against their gold documents."""
    if not ranked:
        return {"recall@1": 0.0, "recall@5": 0.0, "mrr": 0.0}
    return {
        "recall@1": float(
            np.mean([recall_any(r, g, 1) for r, g in zip(ranked, golds, strict=True)])
        ),
        "recall@5": float(
            np.mean([recall_any(r, g, 5) for r, g in zip(ranked, golds, strict=True)])
        ),
        "mrr": float(
            np.mean([reciprocal_rank_any(r, g) for r, g in zip(ranked, golds, strict=True)])
        ),
    }
