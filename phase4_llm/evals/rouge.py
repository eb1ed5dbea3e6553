"""ROUGE-N, ROUGE-L and ROUGE-Lsum (Lin 2004) as Google's `rouge-score` package computes them.

Tokens: lower-cased text, every run of characters outside [a-z0-9] is a separator (so
non-ASCII letters vanish, as in rouge-score), optional Porter stemming of tokens longer than
three characters. ROUGE-Lsum splits on newlines and scores the union LCS of each reference
sentence against all candidate sentences. Stemming reuses NLTK's `PorterStemmer` (the one
rouge-score itself uses); the tokenizer and all scoring are written here.

What this adds over `minimal.rouge_n`/`rouge_l` (equal on pre-tokenised text): rouge-score's
tokenizer and stemming, so raw text scores as it does; precision and recall beside F1;
ROUGE-Lsum for multi-sentence summaries.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_VALID = re.compile(r"^[a-z0-9]+$")
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


@dataclass(frozen=True)
class RougeScore:
    """Precision, recall and their harmonic mean (F1)."""

    precision: float
    recall: float
    fmeasure: float


def tokenize(text: str, use_stemmer: bool = False) -> list[str]:
    """rouge-score's tokens: `tokenize("The cats' café, 2x!") == ["the", "cats", "caf", "2x"]`."""
    tokens = re.split(r"\s+", _NON_ALNUM.sub(" ", text.lower()))
    if use_stemmer:
        stem = _porter().stem
        tokens = [stem(t) if len(t) > 3 else t for t in tokens]
    return [t for t in tokens if _VALID.match(t)]


def rouge(
    target: str,
    prediction: str,
    rouge_types: Sequence[str] = ROUGE_TYPES,
    use_stemmer: bool = False,
) -> dict[str, RougeScore]:
    """Scores of `prediction` against `target` for each of `rouge_types` (rougeN, L, Lsum)."""
    if not isinstance(target, str) or not isinstance(prediction, str):
        raise TypeError("target and prediction must be strings")
    out: dict[str, RougeScore] = {}
    tgt = pred = None
    for kind in rouge_types:
        if kind == "rougeLsum":
            out[kind] = summary_lcs(
                [tokenize(s, use_stemmer) for s in target.split("\n") if s],
                [tokenize(s, use_stemmer) for s in prediction.split("\n") if s],
            )
            continue
        if tgt is None:
            tgt, pred = tokenize(target, use_stemmer), tokenize(prediction, use_stemmer)
        assert pred is not None
        if kind == "rougeL":
            out[kind] = lcs_score(tgt, pred)
        elif re.fullmatch(r"rouge[1-9]", kind):
            out[kind] = ngram_score(tgt, pred, int(kind[5:]))
        else:
            raise ValueError(f"unknown rouge type {kind!r}; use rouge1..rouge9, rougeL, rougeLsum")
    return out


def ngram_score(target: list[str], prediction: list[str], n: int) -> RougeScore:
    """ROUGE-N: clipped n-gram overlap over prediction (precision) and target (recall) counts."""
    tg, pg = _ngrams(target, n), _ngrams(prediction, n)
    overlap = sum(min(c, pg[g]) for g, c in tg.items())
    precision = overlap / max(sum(pg.values()), 1)
    recall = overlap / max(sum(tg.values()), 1)
    return RougeScore(precision, recall, _f1(precision, recall))


def lcs_score(target: list[str], prediction: list[str]) -> RougeScore:
    """ROUGE-L: longest common subsequence length over each side's length."""
    if not target or not prediction:
        return RougeScore(0.0, 0.0, 0.0)
    lcs = _lcs_table(target, prediction)[-1][-1]
    precision, recall = lcs / len(prediction), lcs / len(target)
    return RougeScore(precision, recall, _f1(precision, recall))


def summary_lcs(target_sents: list[list[str]], pred_sents: list[list[str]]) -> RougeScore:
    """ROUGE-Lsum: union-LCS hits per target sentence, each token counted at most as often
    as it occurs on both sides."""
    m = sum(map(len, target_sents))
    n = sum(map(len, pred_sents))
    if not target_sents or not pred_sents or not m or not n:
        return RougeScore(0.0, 0.0, 0.0)
    left_t = Counter(t for s in target_sents for t in s)
    left_p = Counter(t for s in pred_sents for t in s)
    hits = 0
    for ref in target_sents:
        union = sorted(set().union(*(_lcs_indices(ref, cand) for cand in pred_sents)))
        for token in (ref[i] for i in union):
            if left_p[token] > 0 and left_t[token] > 0:
                hits += 1
                left_p[token] -= 1
                left_t[token] -= 1
    precision, recall = hits / n, hits / m
    return RougeScore(precision, recall, _f1(precision, recall))


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _lcs_table(a: list[str], b: list[str]) -> list[list[int]]:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        row, prev = table[i], table[i - 1]
        for j, y in enumerate(b, 1):
            row[j] = prev[j - 1] + 1 if x == y else max(prev[j], row[j - 1])
    return table


def _lcs_indices(ref: list[str], cand: list[str]) -> list[int]:
    """Indices into `ref` of one LCS, backtracking with rouge-score's tie rule (go up)."""
    t = _lcs_table(ref, cand)
    i, j, out = len(ref), len(cand), []
    while i > 0 and j > 0:
        if ref[i - 1] == cand[j - 1]:
            out.append(i - 1)
            i, j = i - 1, j - 1
        elif t[i][j - 1] > t[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return out[::-1]


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


@lru_cache(maxsize=1)
def _porter():
    from nltk.stem.porter import PorterStemmer  # the stemmer rouge-score uses

    return PorterStemmer()
