"""Parity checks run by `roadmap parity` / `roadmap report`."""

from __future__ import annotations

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .bleu import corpus_bleu
from .perplexity import perplexity
from .qa import exact_match, squad_scores, token_f1
from .rouge import ROUGE_TYPES, rouge
from .safety import screen_metrics
from .samples import summary_set, translation_set

BLEU_ATOL = 1e-6  # BLEU is in percent; same float operations, so the error seen is ~1e-14
# Minimums the screen must keep on data/safety_labels.v1.jsonl (see README for provenance).
SAFETY_MINIMUMS = {"precision": 0.85, "recall": 0.85}


def checks() -> list[ParityResult]:
    """BLEU vs sacrebleu, ROUGE vs rouge-score, perplexity vs torch, EM/F1 and safety."""
    return (
        bleu_checks(300) + rouge_checks(150) + [perplexity_check()] + qa_checks() + safety_checks()
    )


def bleu_checks(n: int) -> list[ParityResult]:
    """Corpus BLEU for each smoothing method, two references, against sacrebleu."""
    import sacrebleu

    hyps, refs = translation_set(n, seed=0)
    # No 4-gram (and few 3-gram) matches: the case where the smoothing methods differ.
    short_hyps = ["the cat", "dog a barked loudly today", "on the mat sat the cat"]
    short_refs = [["the cat sat on the mat", "a dog barked at night", "the cat sat on the mat"]]
    out = []
    for method in ("none", "floor", "add-k", "exp"):
        ours_vals, ref_vals = [], []
        for hy, rf in ((hyps, refs), (short_hyps, short_refs)):
            ref = sacrebleu.corpus_bleu(hy, rf, smooth_method=method)
            ours = corpus_bleu(hy, rf, smooth_method=method)
            ours_vals += [ours.score, *ours.precisions, ours.bp]
            ref_vals += [ref.score, *ref.precisions, ref.bp]
        out.append(
            compare(
                f"corpus BLEU smooth={method} (long + short corpus)",
                ours_vals,
                ref_vals,
                reference=reference_version("sacrebleu"),
                rtol=0,
                atol=BLEU_ATOL,
            )
        )
    return out


def rouge_checks(n: int) -> list[ParityResult]:
    """P/R/F of every ROUGE type on seeded summaries, with and without Porter stemming."""
    from rouge_score import rouge_scorer

    targets, preds = summary_set(n, seed=0)
    out = []
    for stem in (False, True):
        scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=stem)
        ours_vals: list[float] = []
        ref_vals: list[float] = []
        for t, p in zip(targets, preds, strict=True):
            ref, ours = scorer.score(t, p), rouge(t, p, use_stemmer=stem)
            for k in ROUGE_TYPES:
                ref_vals.extend(ref[k])
                ours_vals.extend((ours[k].precision, ours[k].recall, ours[k].fmeasure))
        out.append(
            compare(
                f"ROUGE-1/2/L/Lsum stemmer={stem}",
                ours_vals,
                ref_vals,
                reference=reference_version("rouge-score"),
                rtol=0,
                atol=1e-12,
            )
        )
    return out


def perplexity_check() -> ParityResult:
    """Perplexity from float64 logits vs exp(torch cross_entropy), padding ignored."""
    import torch

    rng = np.random.default_rng(0)
    logits = rng.normal(scale=3.0, size=(4, 64, 1000))
    targets = rng.integers(0, 1000, size=(4, 64))
    targets[:, -5:] = -100
    ref = torch.exp(
        torch.nn.functional.cross_entropy(
            torch.from_numpy(logits).reshape(-1, 1000),
            torch.from_numpy(targets).reshape(-1),
            ignore_index=-100,
        )
    ).item()
    return compare(
        "perplexity vs torch cross-entropy",
        perplexity(logits, targets),
        ref,
        reference=reference_version("torch"),
        rtol=1e-10,
    )


def qa_checks() -> list[ParityResult]:
    """SQuAD v1.1 script semantics on worked examples (no installed library to compare with)."""
    scores = squad_scores(
        ["The Eiffel Tower", "in 1889", "Paris"],
        [["Eiffel Tower"], ["1889", "in the year 1889"], ["Lyon"]],
    )
    return [
        behaviour(
            "SQuAD EM ignores case, articles, punctuation",
            exact_match("The  Eiffel-Tower!", "eiffeltower") == 1.0,
        ),
        behaviour(
            "SQuAD token F1 worked example", abs(token_f1("the big cat", "a cat") - 2 / 3) < 1e-12
        ),
        behaviour(
            "SQuAD corpus EM/F1 take the best gold answer",
            # EM: 1 + 0 + 0; F1: 1 + max(2/3, 0.8) + 0 (three questions)
            abs(scores["exact_match"] - 100 / 3) < 1e-9 and abs(scores["f1"] - 60.0) < 1e-9,
            str(scores),
        ),
    ]


def safety_checks() -> list[ParityResult]:
    """The safety screen keeps its stated precision and recall on the labelled set."""
    out = []
    for category, m in screen_metrics().items():
        ok = (
            m["precision"] >= SAFETY_MINIMUMS["precision"]
            and m["recall"] >= SAFETY_MINIMUMS["recall"]
        )
        out.append(
            behaviour(
                f"safety screen {category}: P>={SAFETY_MINIMUMS['precision']}, "
                f"R>={SAFETY_MINIMUMS['recall']}",
                ok,
                f"precision {m['precision']:.3f}, recall {m['recall']:.3f}",
            )
        )
    return out
