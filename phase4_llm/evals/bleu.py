"""Corpus BLEU (Papineni et al. 2002) as sacrebleu computes it, with the 13a tokenizer.

Per segment: clipped n-gram matches against the union (max count) of its references, and
the reference length closest to the hypothesis (shorter wins ties); summed over the corpus,
then BLEU = BP * exp(mean log precision). Smoothing (Chen & Cherry 2014): `none`, `floor`
(zero matches count as `smooth_value`), `add-k` (add k to matches and totals for n > 1),
`exp` (NIST: the k-th zero precision becomes 1 / (2^k * total)); a zero precision without
smoothing contributes log = -9999999999, as in sacrebleu, so the score is 0.

What this adds over `minimal.corpus_bleu` (equal on pre-tokenised text, one reference, no
smoothing): the 13a tokenizer, so raw text scores as sacrebleu scores it; several references
per segment; the four smoothing methods, without which one missing 4-gram zeroes a sentence;
lowercasing, effective order and the precisions/lengths a report needs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

SMOOTH_DEFAULTS = {"none": None, "floor": 0.1, "add-k": 1.0, "exp": None}

# mteval-v13a.pl's rules, in order: isolate most punctuation, split periods and commas
# unless inside a number, split a dash that follows a digit.
_RULES_13A = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
]


@dataclass(frozen=True)
class BleuScore:
    """BLEU in percent with its parts: matches, totals, precisions (percent), brevity penalty."""

    score: float
    counts: list[float]
    totals: list[float]
    precisions: list[float]
    bp: float
    sys_len: int
    ref_len: int


def tokenize_13a(line: str) -> str:
    """WMT's mteval-v13a tokenisation: `tokenize_13a("Hi, it's 3.5!") == "Hi , it's 3.5 !"`."""
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        for entity, char in (("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")):
            line = line.replace(entity, char)
    line = f" {line} "
    for pattern, repl in _RULES_13A:
        line = pattern.sub(repl, line)
    return " ".join(line.split())


def corpus_bleu(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str | None]],
    *,
    smooth_method: str = "exp",
    smooth_value: float | None = None,
    lowercase: bool = False,
    max_ngram_order: int = 4,
    effective_order: bool = False,
) -> BleuScore:
    """Corpus BLEU; `references` is a list of reference streams, each parallel to hypotheses.

    A `None` reference in a stream means that segment has fewer references; a segment with
    none at all raises ValueError.
    """
    if smooth_method not in SMOOTH_DEFAULTS:
        raise ValueError(f"smooth_method must be one of {sorted(SMOOTH_DEFAULTS)}")
    if isinstance(hypotheses, str) or any(not isinstance(h, str) for h in hypotheses):
        raise TypeError("hypotheses must be a sequence of strings")
    if isinstance(references, str) or not references:
        raise ValueError("references must be a non-empty list of reference streams")
    for stream in references:
        if isinstance(stream, str) or len(stream) != len(hypotheses):
            raise ValueError("every reference stream must be a list as long as the hypotheses")
    order = max_ngram_order
    correct, total = [0.0] * order, [0.0] * order
    sys_len = ref_len = 0
    for i, hyp in enumerate(hypotheses):
        refs = [_prepare(cast(str, s[i]), lowercase) for s in references if s[i] is not None]
        if not refs:
            # sacrebleu crashes here (TypeError on its empty n-gram table); an empty string is
            # a reference (of length 0), None in every stream leaves nothing to score against.
            raise ValueError(
                f"segment {i} has no reference: it is None in all {len(references)} "
                "reference stream(s); give at least one reference per segment"
            )
        ref_ngrams: Counter = Counter()
        ref_lens = []
        for ref in refs:
            grams, length = ngram_counts(ref, order)
            ref_lens.append(length)
            for g, c in grams.items():
                if c > ref_ngrams[g]:
                    ref_ngrams[g] = c
        hyp_grams, hyp_len = ngram_counts(_prepare(hyp, lowercase), order)
        sys_len += hyp_len
        ref_len += closest_ref_len(hyp_len, ref_lens)
        for g, c in hyp_grams.items():
            total[len(g) - 1] += c
            correct[len(g) - 1] += min(c, ref_ngrams.get(g, 0))
    return bleu_from_counts(
        correct, total, sys_len, ref_len, smooth_method, smooth_value, effective_order
    )


def bleu_from_counts(
    correct: list[float],
    total: list[float],
    sys_len: int,
    ref_len: int,
    smooth_method: str = "exp",
    smooth_value: float | None = None,
    effective_order: bool = False,
) -> BleuScore:
    """BLEU from summed match counts and totals per n-gram order."""
    correct, total = list(correct), list(total)
    if smooth_value is None:
        smooth_value = SMOOTH_DEFAULTS[smooth_method]
    order = len(correct)
    bp = 1.0
    if sys_len < ref_len:
        bp = math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0
    precisions = [0.0] * order
    if not any(correct):
        return BleuScore(0.0, correct, total, precisions, bp, sys_len, ref_len)
    halvings = 1.0
    eff_order = order
    for n in range(order):
        if smooth_method == "add-k" and n > 0:
            assert smooth_value is not None
            correct[n] += smooth_value
            total[n] += smooth_value
        if total[n] == 0:
            break
        if effective_order:
            eff_order = n + 1
        if correct[n] == 0:
            if smooth_method == "exp":
                halvings *= 2
                precisions[n] = 100.0 / (halvings * total[n])
            elif smooth_method == "floor":
                assert smooth_value is not None
                precisions[n] = 100.0 * smooth_value / total[n]
        else:
            precisions[n] = 100.0 * correct[n] / total[n]
    log_sum = sum(math.log(p) if p > 0 else -9999999999 for p in precisions[:eff_order])
    score = bp * math.exp(log_sum / eff_order)
    return BleuScore(score, correct, total, precisions, bp, sys_len, ref_len)


def ngram_counts(tokenized: str, max_order: int) -> tuple[Counter, int]:
    """Counts of all 1..max_order-grams of a whitespace-tokenised line, and its length."""
    tokens = tokenized.split()
    grams: Counter = Counter()
    for n in range(1, max_order + 1):
        for i in range(len(tokens) - n + 1):
            grams[tuple(tokens[i : i + n])] += 1
    return grams, len(tokens)


def closest_ref_len(hyp_len: int, ref_lens: list[int]) -> int:
    """The reference length nearest to `hyp_len`, the shorter one on ties."""
    best_diff, best_len = -1, -1
    for length in ref_lens:
        diff = abs(hyp_len - length)
        if best_diff == -1 or diff < best_diff or (diff == best_diff and length < best_len):
            best_diff, best_len = diff, length
    return best_len


def _prepare(line: str, lowercase: bool) -> str:
    if lowercase:
        line = line.lower()
    return tokenize_13a(line.rstrip())
