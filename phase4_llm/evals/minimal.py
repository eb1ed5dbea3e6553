"""BLEU and ROUGE in one file: n-gram overlap between a system's text and a reference.

The idea only, on whitespace tokens: corpus BLEU with one reference per segment, no
smoothing (clipped n-gram precisions 1-4, geometric mean, brevity penalty), and ROUGE-N and
ROUGE-L F1 for one pair of texts (n-gram overlap; longest common subsequence). No tokenizer
rules, no multiple references, no smoothing, no stemming: `bleu.py` and `rouge.py` add those.
"""

from __future__ import annotations

import math
from collections import Counter


def ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    """How often each n-gram occurs: ngrams(["a", "b", "a"], 1) -> {("a",): 2, ("b",): 1}."""
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: list[str], references: list[str], max_n: int = 4) -> float:
    """BLEU (0-100) of the hypotheses against one reference each, summed over the corpus.

    precision_n = sum of clipped matches / sum of hypothesis n-grams (clipped: an n-gram
    counts at most as often as in the reference); BLEU = BP * exp(mean log precision_n),
    BP = exp(1 - ref_len / hyp_len) when the hypotheses are shorter, else 1.
    Hint: `(hyp_counts & ref_counts)` is the clipped overlap of two Counters.
    """
    matches, totals = [0] * max_n, [0] * max_n
    hyp_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references, strict=True):
        h, r = hyp.split(), ref.split()
        hyp_len, ref_len = hyp_len + len(h), ref_len + len(r)
        for n in range(1, max_n + 1):
            hc, rc = ngrams(h, n), ngrams(r, n)
            matches[n - 1] += sum((hc & rc).values())
            totals[n - 1] += sum(hc.values())
    if min(matches) == 0:
        return 0.0  # a zero precision makes the geometric mean zero
    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals, strict=True)) / max_n
    brevity = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len)
    return 100 * brevity * math.exp(log_precision)


def f1(overlap: int, n_pred: int, n_target: int) -> float:
    """Harmonic mean of precision overlap / n_pred and recall overlap / n_target (0 if none)."""
    if overlap == 0:
        return 0.0
    precision, recall = overlap / n_pred, overlap / n_target
    return 2 * precision * recall / (precision + recall)


def rouge_n(target: str, prediction: str, n: int) -> float:
    """ROUGE-N F1: the clipped n-gram overlap of prediction and target."""
    t, p = ngrams(target.split(), n), ngrams(prediction.split(), n)
    return f1(sum((t & p).values()), sum(p.values()), sum(t.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (in order, gaps allowed) of a and b.

    Example: lcs_length("a b c d".split(), "a c d b".split()) -> 3 ("a c d").
    Hint: dynamic programming, table[i][j] = LCS of a[:i] and b[:j].
    """
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        for j, y in enumerate(b, 1):
            table[i][j] = (
                table[i - 1][j - 1] + 1 if x == y else max(table[i - 1][j], table[i][j - 1])
            )
    return table[-1][-1]


def rouge_l(target: str, prediction: str) -> float:
    """ROUGE-L F1: the longest common subsequence as the overlap."""
    t, p = target.split(), prediction.split()
    return f1(lcs_length(t, p), len(p), len(t))
