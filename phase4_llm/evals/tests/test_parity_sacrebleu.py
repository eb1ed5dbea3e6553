"""Our corpus BLEU equals sacrebleu's (13a tokenizer) to 1e-6 for every smoothing method."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.evals.bleu import corpus_bleu, tokenize_13a
from phase4_llm.evals.samples import news_sentences, translation_set

REF = reference_version("sacrebleu")
ATOL = 1e-6  # BLEU in percent; the same float operations give ~1e-14 in practice
METHODS = ["none", "floor", "add-k", "exp"]


def _assert_same(hyps, refs, **kw):
    ref = BLEU(**kw).corpus_score(hyps, refs)
    ours = corpus_bleu(hyps, refs, **kw)
    assert_parity(
        [ours.score, *ours.precisions, ours.bp, ours.sys_len, ours.ref_len],
        [ref.score, *ref.precisions, ref.bp, ref.sys_len, ref.ref_len],
        reference=REF,
        rtol=0,
        atol=ATOL,
        name=f"BLEU {kw}",
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("n_refs", [1, 3])
def test_corpus_bleu_equals_sacrebleu_on_news(method, n_refs):
    hyps, refs = translation_set(400, seed=n_refs, n_refs=n_refs)
    _assert_same(hyps, refs, smooth_method=method)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("value", [None, 0.01, 3])
def test_smoothing_equals_sacrebleu_where_higher_orders_have_no_match(method, value):
    hyps = ["the cat", "dog a barked loudly today", "on the mat sat the cat"]
    refs = [["the cat sat on the mat", "a dog barked at night", "the cat sat on the mat"]]
    _assert_same(hyps, refs, smooth_method=method, smooth_value=value)


@pytest.mark.parametrize(
    "options",
    [
        {"lowercase": True},
        {"effective_order": True},
        {"max_ngram_order": 2},
        {"max_ngram_order": 6},
    ],
)
def test_options_equal_sacrebleu(options):
    hyps, refs = translation_set(100, seed=9)
    _assert_same([h.upper() for h in hyps], refs, **options)


def test_missing_references_are_skipped_like_sacrebleu():
    hyps, refs = translation_set(50, seed=4, n_refs=2)
    refs[1] = [None if i % 3 == 0 else r for i, r in enumerate(refs[1])]
    _assert_same(hyps, refs)


def test_13a_tokenizer_equals_sacrebleu_on_news_and_tricky_strings():
    theirs = Tokenizer13a()
    lines = [
        *list(news_sentences()[:3000]),
        "&quot;Hi&quot; &amp; bye&lt;3&gt;",
        "3.5-4,000 e-mail",
        "a-\nb<skipped>c",
        "U.S.A. $5,000.",
        "{x}[y](z) ~`^_|",
        "“smart” quotes…",
        "",
    ]
    assert [tokenize_13a(x) for x in lines] == [theirs(x) for x in lines]


words = st.sampled_from(["the", "cat", "sat", "on", "mat", "a", "dog", ",", ".", "3.5", "-", "Dog"])
sentences = st.lists(words, max_size=12).map(" ".join)


@given(
    st.lists(st.tuples(sentences, sentences, sentences), min_size=1, max_size=8),
    st.sampled_from(METHODS),
)
def test_corpus_bleu_equals_sacrebleu_on_random_corpora(rows, method):
    hyps = [r[0] for r in rows]
    refs = [[r[1] for r in rows], [r[2] for r in rows]]
    _assert_same(hyps, refs, smooth_method=method)
