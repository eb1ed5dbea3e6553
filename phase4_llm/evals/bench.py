"""Benchmarks: our BLEU and ROUGE against sacrebleu and rouge-score at three corpus sizes."""

from __future__ import annotations

from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .bleu import corpus_bleu
from .rouge import ROUGE_TYPES, rouge
from .samples import summary_set, translation_set


def run(quick: bool = False) -> list[BenchRow]:
    """Corpus BLEU (2 references) and ROUGE-1/2/L/Lsum over growing corpora."""
    import sacrebleu
    from rouge_score import rouge_scorer

    rows = []
    for n in sizes(quick, full=(500, 2_000, 8_000), small=(100, 300, 1_000)):
        hyps, refs = translation_set(n, seed=21)
        ours, ref = corpus_bleu(hyps, refs).score, sacrebleu.corpus_bleu(hyps, refs).score
        rows.append(
            compare(
                "corpus BLEU (13a, exp)",
                n,
                partial(corpus_bleu, hyps, refs),
                partial(sacrebleu.corpus_bleu, hyps, refs),
                reference=reference_version("sacrebleu"),
                repeats=3,
                quality={"abs_diff": abs(ours - ref), "bleu": ours},
            )
        )
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    for n in sizes(quick, full=(100, 400, 1_600), small=(20, 60, 200)):
        targets, preds = summary_set(n, seed=22)

        def ours_all(targets=targets, preds=preds):
            return [rouge(t, p, use_stemmer=True) for t, p in zip(targets, preds, strict=True)]

        def ref_all(targets=targets, preds=preds):
            return [scorer.score(t, p) for t, p in zip(targets, preds, strict=True)]

        worst = max(
            abs(o[k].fmeasure - r[k].fmeasure)
            for o, r in zip(ours_all(), ref_all(), strict=True)
            for k in ROUGE_TYPES
        )
        rows.append(
            compare(
                "ROUGE-1/2/L/Lsum stemmed",
                n,
                ours_all,
                ref_all,
                reference=reference_version("rouge-score"),
                repeats=3,
                quality={"max_abs_diff_f": worst},
            )
        )
    return rows
