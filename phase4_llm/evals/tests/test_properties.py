"""Edge cases every metric must get right: empty hypothesis, no overlap, a single token."""

import sacrebleu
from hypothesis import given
from hypothesis import strategies as st
from rouge_score import rouge_scorer

from phase4_llm.evals.bleu import corpus_bleu
from phase4_llm.evals.qa import exact_match, token_f1
from phase4_llm.evals.rouge import ROUGE_TYPES, rouge

SCORER = rouge_scorer.RougeScorer(list(ROUGE_TYPES))


def test_empty_hypothesis_scores_zero_like_the_references():
    assert (
        corpus_bleu([""], [["the cat sat"]]).score
        == 0.0
        == sacrebleu.corpus_bleu([""], [["the cat sat"]]).score
    )
    assert all(s.fmeasure == 0 for s in rouge("the cat", "").values())
    assert all(s.fmeasure == 0 for s in SCORER.score("the cat", "").values())
    assert token_f1("", "cat") == 0.0 and exact_match("", "") == 1.0


def test_no_overlap_scores_zero():
    assert corpus_bleu(["dog runs fast"], [["the cat sat"]], smooth_method="exp").score == 0.0
    assert all(s.recall == 0 for s in rouge("the cat sat", "dog runs fast").values())
    assert token_f1("dog runs", "the cat") == 0.0


def test_single_token_hypothesis():
    for m in ("none", "floor", "add-k", "exp"):
        ours = corpus_bleu(["cat"], [["cat"]], smooth_method=m).score
        assert abs(ours - sacrebleu.corpus_bleu(["cat"], [["cat"]], smooth_method=m).score) < 1e-6
    ours = rouge("cat", "cat")
    assert ours["rouge1"].fmeasure == 1.0 and ours["rouge2"].fmeasure == 0.0
    assert token_f1("cat", "the cat") == 1.0


words = st.lists(st.sampled_from(["b", "c", "d", "e", "f"]), min_size=1, max_size=15).map(" ".join)


@given(words)
def test_identical_texts_score_perfectly(text):
    assert all(
        abs(s.fmeasure - 1.0) < 1e-12
        for k, s in rouge(text, text).items()
        if k != "rouge2" or len(text.split()) > 1
    )
    assert exact_match(text, text) == 1.0 and token_f1(text, text) == 1.0
    if len(text.split()) >= 4:
        assert abs(corpus_bleu([text], [[text]]).score - 100.0) < 1e-9


@given(words, words)
def test_scores_are_bounded_and_f1_is_symmetric(a, b):
    for s in rouge(a, b).values():
        assert 0.0 <= s.precision <= 1.0 and 0.0 <= s.recall <= 1.0 and 0.0 <= s.fmeasure <= 1.0
    assert token_f1(a, b) == token_f1(b, a)
    assert (
        0.0 <= corpus_bleu([a], [[b]]).score <= 100.0 + 1e-9
    )  # exp(log 100) rounds up, as in sacrebleu
