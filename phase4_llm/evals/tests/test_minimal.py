"""The minimal BLEU and ROUGE (`minimal.py`) against sacrebleu, rouge-score and the full
versions, on seeded perturbations of real news sentences, pre-tokenised so that whitespace
splitting sees the references' own tokens."""

import pytest
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.evals import minimal
from phase4_llm.evals.bleu import corpus_bleu, tokenize_13a
from phase4_llm.evals.rouge import rouge, tokenize
from phase4_llm.evals.samples import summary_set, translation_set

FULL = "the full phase4_llm.evals"


@pytest.fixture(scope="module")
def translations():
    hyps, refs = translation_set(60, seed=3, n_refs=1)
    return [tokenize_13a(h) for h in hyps], [tokenize_13a(r) for r in refs[0]]


@pytest.fixture(scope="module")
def summaries():
    targets, preds = summary_set(30, seed=4)
    return [
        (" ".join(tokenize(t)), " ".join(tokenize(p))) for t, p in zip(targets, preds, strict=True)
    ]


def test_lcs_length_of_a_worked_example():
    got = minimal.lcs_length(["a", "b", "c", "d"], ["a", "c", "d", "b"])
    assert_parity(got, 3, reference="worked example", exact=True, name="lcs length")


def test_corpus_bleu_equals_sacrebleu_and_the_full_version(translations):
    hyps, refs = translations
    ours = minimal.corpus_bleu(hyps, refs)
    ref = BLEU(tokenize="none", smooth_method="none").corpus_score(hyps, [refs]).score
    full = corpus_bleu(hyps, [refs], smooth_method="none").score
    # The same counts in both; float64 logs and exps only: 1e-9 of a 0-100 score.
    tol = dict(rtol=1e-9, atol=1e-9)
    assert_parity(ours, ref, reference=f"{reference_version('sacrebleu')} BLEU", **tol, name="bleu")
    assert_parity(ours, full, reference=f"{FULL} corpus_bleu", **tol, name="bleu vs full")


def test_a_short_hypothesis_pays_the_brevity_penalty(translations):
    hyps, refs = translations
    short = [" ".join(h.split()[: max(1, len(h.split()) // 2)]) for h in hyps]
    ref = BLEU(tokenize="none", smooth_method="none").corpus_score(short, [refs]).score
    assert_parity(
        minimal.corpus_bleu(short, refs),
        ref,
        reference=f"{reference_version('sacrebleu')} BLEU",
        rtol=1e-9,
        atol=1e-9,
        name="bleu with brevity penalty",
    )


def test_rouge_n_and_l_equal_rouge_score_and_the_full_version(summaries):
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"])
    ours, ref, full = [], [], []
    for target, pred in summaries:
        ours += [minimal.rouge_n(target, pred, 1), minimal.rouge_n(target, pred, 2)]
        ours.append(minimal.rouge_l(target, pred))
        scores = scorer.score(target, pred)
        ref += [scores[k].fmeasure for k in ("rouge1", "rouge2", "rougeL")]
        mine = rouge(target, pred, ("rouge1", "rouge2", "rougeL"))
        full += [mine[k].fmeasure for k in ("rouge1", "rouge2", "rougeL")]
    tol = dict(rtol=1e-12, atol=1e-12)  # the same integer counts, one division each
    reference = f"{reference_version('rouge-score')} RougeScorer"
    assert_parity(ours, ref, reference=reference, **tol, name="rouge-1/2/L F1")
    assert_parity(ours, full, reference=f"{FULL} rouge", **tol, name="rouge vs full")
