"""Our ROUGE-1/2/L/Lsum equal rouge-score's, with and without Porter stemming."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rouge_score import rouge_scorer
from rouge_score import tokenize as rs_tokenize
from rouge_score.tokenizers import DefaultTokenizer

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.evals.rouge import ROUGE_TYPES, rouge, tokenize
from phase4_llm.evals.samples import news_sentences, summary_set

REF = reference_version("rouge-score")
ATOL = 1e-12  # the same divisions in the same order: equal up to the last bit in practice


def _flat(scores, types):
    out = []
    for k in types:
        s = scores[k]
        out += [s.precision, s.recall, s.fmeasure] if hasattr(s, "recall") else list(s)
    return out


@pytest.mark.parametrize("stem", [False, True])
def test_rouge_equals_rouge_score_on_news_summaries(stem):
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=stem)
    targets, preds = summary_set(120, seed=1)
    ours, ref = [], []
    for t, p in zip(targets, preds, strict=True):
        ours += _flat(rouge(t, p, use_stemmer=stem), ROUGE_TYPES)
        ref += _flat(scorer.score(t, p), ROUGE_TYPES)
    assert_parity(ours, ref, reference=REF, rtol=0, atol=ATOL, name=f"ROUGE stem={stem}")


@pytest.mark.parametrize("stem", [False, True])
def test_tokenizer_equals_rouge_score_tokenizer(stem):
    theirs = DefaultTokenizer(use_stemmer=stem)
    lines = [
        *list(news_sentences()[:2000]),
        "Café naïve—ünïcode 123abc",
        "",
        "...",
        "running RUNS ran",
    ]
    assert [tokenize(x, stem) for x in lines] == [theirs.tokenize(x) for x in lines]
    assert rs_tokenize.tokenize("a b", None) == tokenize("a b")


def test_rouge_only_lsum_and_higher_n_equal_rouge_score():
    types = ["rouge3", "rouge4", "rougeLsum"]
    scorer = rouge_scorer.RougeScorer(types)
    targets, preds = summary_set(60, seed=2)
    for t, p in zip(targets, preds, strict=True):
        assert_parity(
            _flat(rouge(t, p, types), types),
            _flat(scorer.score(t, p), types),
            reference=REF,
            rtol=0,
            atol=ATOL,
        )


text = st.lists(
    st.sampled_from(["the", "cat", "cats", "sat", "running", "\n", "mat", ",", "Sat"]), max_size=25
).map(" ".join)


@given(text, text, st.booleans())
def test_rouge_equals_rouge_score_on_random_texts(target, prediction, stem):
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=stem)
    assert_parity(
        _flat(rouge(target, prediction, use_stemmer=stem), ROUGE_TYPES),
        _flat(scorer.score(target, prediction), ROUGE_TYPES),
        reference=REF,
        rtol=0,
        atol=ATOL,
    )
