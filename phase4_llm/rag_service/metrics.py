"""Retrieval and answer metrics: recall@k, MRR, nDCG@k, SQuAD-style EM/F1, citation precision,
groundedness. Relevance is binary at document level (a chunk counts for its document)."""

from __future__ import annotations

import math
import re
import string
from collections import Counter

from phase4_llm.rag_service.chunking import split_sentences


def dedupe(docs: list[str]) -> list[str]:
    """Documents in first-seen order: `dedupe(["a", "b", "a"]) == ["a", "b"]`."""
    return list(dict.fromkeys(docs))


def recall_at_k(ranked_docs: list[str], gold: str, k: int) -> float:
    """1 if `gold` is among the first `k` distinct documents."""
    return float(gold in dedupe(ranked_docs)[:k])


def reciprocal_rank(ranked_docs: list[str], gold: str) -> float:
    """1 / rank of `gold` among distinct documents (0 when absent)."""
    docs = dedupe(ranked_docs)
    return 1.0 / (docs.index(gold) + 1) if gold in docs else 0.0


def ndcg_at_k(ranked_docs: list[str], gold: str, k: int) -> float:
    """nDCG@k with one relevant document: 1 / log2(rank + 1) within the top `k`."""
    docs = dedupe(ranked_docs)[:k]
    return 1.0 / math.log2(docs.index(gold) + 2) if gold in docs else 0.0


def normalise_answer(text: str) -> str:
    """SQuAD normalisation: lower case, no punctuation, articles or extra spaces."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, reference: str) -> float:
    return float(normalise_answer(prediction) == normalise_answer(reference))


def f1(prediction: str, reference: str) -> float:
    """Token-overlap F1 between normalised answers (SQuAD v1.1)."""
    p, r = normalise_answer(prediction).split(), normalise_answer(reference).split()
    common = sum((Counter(p) & Counter(r)).values())
    if not p or not r or common == 0:
        return float(p == r)
    precision, recall = common / len(p), common / len(r)
    return 2 * precision * recall / (precision + recall)


def citation_precision(cited_docs: list[str], gold: str) -> float:
    """Share of cited chunks that come from the gold document (0 when nothing is cited)."""
    return sum(d == gold for d in cited_docs) / len(cited_docs) if cited_docs else 0.0


def groundedness(answer: str, cited_texts: list[str], threshold: float = 0.9) -> float:
    """Share of answer sentences whose words occur (>= `threshold`) in one cited chunk."""
    # Citation markers end a claim: split on them first, then into sentences.
    sentences = [s for part in re.split(r"\[\d+\]", answer) for s in split_sentences(part)]
    if not sentences:
        return 0.0
    bags = [set(normalise_answer(t).split()) for t in cited_texts]
    ok = 0
    for s in sentences:
        words = normalise_answer(s).split()
        if words and any(sum(w in bag for w in words) / len(words) >= threshold for bag in bags):
            ok += 1
    return ok / len(sentences)
