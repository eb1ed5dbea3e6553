"""The training split: every question is what it claims (same checks as the natural split), and
no training question can leak an evaluation article's wording into what is fitted on it."""

import re
from collections import Counter

import pytest

from phase4_llm.rag_service.chunking import split_sentences
from phase4_llm.rag_service.corpus import bbc_documents
from phase4_llm.rag_service.eval_set import (
    ANSWER_TYPES,
    natural_questions,
    sample_articles,
    training_questions,
)
from phase4_llm.rag_service.tests.test_natural_questions import NGRAM, _ngrams, _words

LONG_SENTENCE = 60  # characters: shorter shared sentences ("He said.") are not a leak


@pytest.fixture(scope="module")
def corpus():
    return {d.doc_id: d.text for d in bbc_documents()}


@pytest.fixture(scope="module")
def items():
    return training_questions()


def test_size_types_and_share_of_unanswerable(items):
    assert len(items) >= 1000
    assert len({q.qid for q in items}) == len(items)
    assert len({q.question.lower() for q in items}) == len(items)
    unanswerable = [q for q in items if not q.answerable]
    assert len(unanswerable) / len(items) >= 0.22
    types = Counter(q.type for q in items if q.answerable)
    assert set(types) <= set(ANSWER_TYPES)
    assert all(types[kind] >= 40 for kind in ANSWER_TYPES), types
    assert all(q.question.endswith("?") and "___" not in q.question for q in items)


def test_gold_answers_and_evidence_occur_verbatim_with_no_copied_wording(items, corpus):
    for q in (q for q in items if q.answerable):
        assert q.answers and q.gold_docs and q.evidence, q
        assert any(a in q.evidence[-1] for a in q.answers), q.qid
        for doc in q.gold_docs:
            assert all(a in corpus[doc] for a in q.answers), (q.qid, doc)
            assert all(s in corpus[doc] for s in q.evidence), (q.qid, doc)
        words = _ngrams(_words(corpus[q.gold_docs[0]]), NGRAM)
        assert not _ngrams(_words(q.question), NGRAM) & words, q.qid


def test_unanswerable_training_questions_have_no_answer_in_the_corpus(items, corpus):
    lowered = [t.lower() for t in corpus.values()]
    for q in (q for q in items if not q.answerable):
        assert not q.answers and not q.gold_docs and q.absent, q
        if ">>" in q.absent:
            entity, pattern = q.absent.split(">>")
            about = [t for t in lowered if entity.lower() in t]
            assert about, q.qid  # on a topic the corpus covers
            assert not any(re.search(pattern, t, re.I) for t in about), q.qid
        else:
            assert not any(q.absent.lower() in t for t in lowered), q.qid


def test_training_articles_are_disjoint_from_the_evaluation_articles(items, corpus):
    """No gold article of a training question is an evaluation article, a gold article of an
    evaluation question, or a copy sharing a long sentence with one (the corpus prints some
    stories twice); and no question is asked in both splits."""
    evaluation = natural_questions()
    held = {d.doc_id for d in sample_articles()} | {d for q in evaluation for d in q.gold_docs}
    eval_sentences = {s for d in held for s in split_sentences(corpus[d]) if len(s) > LONG_SENTENCE}
    for q in (q for q in items if q.answerable):
        assert not set(q.gold_docs) & held, q.qid
        shared = [s for s in split_sentences(corpus[q.gold_docs[0]]) if s in eval_sentences]
        assert not shared, (q.qid, shared[:1])
    assert not {q.question.lower() for q in items} & {q.question.lower() for q in evaluation}
    assert len({q.gold_docs[0] for q in items if q.answerable}) >= 300
