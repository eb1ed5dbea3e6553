"""The natural-question split: its size and coverage, and that every question is what it claims
(gold answer verbatim in the gold article, no copied wording, unanswerable ones really absent)."""

import re
from collections import Counter

import pytest

from phase4_llm.rag_service.corpus import bbc_documents
from phase4_llm.rag_service.eval_set import (
    ANSWER_TYPES,
    natural_parts,
    natural_questions,
    sample_articles,
)

NGRAM = 6  # no question may share this many consecutive words with its gold article


@pytest.fixture(scope="module")
def corpus():
    return {d.doc_id: d.text for d in bbc_documents()}


@pytest.fixture(scope="module")
def items():
    return natural_questions()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£$%']+", text.lower())


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_size_share_of_unanswerable_and_unique_ids(items):
    assert len(items) >= 200
    unanswerable = [q for q in items if not q.answerable]
    assert len(unanswerable) / len(items) >= 0.20
    assert len({q.qid for q in items}) == len(items)
    assert len({q.question.lower() for q in items}) == len(items)


def test_answer_types_and_tags_are_all_covered(items):
    types = Counter(q.type for q in items if q.answerable)
    assert set(types) <= set(ANSWER_TYPES)
    for kind in ("number", "money", "date", "person", "place", "organisation"):
        assert types[kind] >= 15, (kind, types)
    tags = Counter(t for q in items for t in q.tags)
    assert tags["multi_sentence"] >= 5 and tags["near_miss"] >= 20, tags
    assert tags["paraphrase"] >= 0.6 * sum(q.answerable for q in items), tags


def test_questions_are_natural_not_cloze(items):
    for q in items:
        assert q.question.endswith("?") and "___" not in q.question, q
        assert "fill in the blank" not in q.question.lower(), q


def test_gold_answers_and_evidence_occur_verbatim_in_every_gold_article(items, corpus):
    for q in (q for q in items if q.answerable):
        assert q.answers and q.gold_docs and q.evidence, q
        assert any(a in q.evidence[-1] for a in q.answers), q
        for doc in q.gold_docs:
            text = corpus[doc]
            assert all(a in text for a in q.answers), (q.qid, doc)
            assert all(s in text for s in q.evidence), (q.qid, doc)


def test_no_question_copies_six_words_of_its_gold_article(items, corpus):
    for q in (q for q in items if q.answerable):
        shared = _ngrams(_words(q.question), NGRAM) & _ngrams(_words(corpus[q.gold_docs[0]]), NGRAM)
        assert not shared, (q.qid, shared)


def test_gold_articles_come_from_the_seeded_sample_across_all_categories(items):
    sample = {d.doc_id for d in sample_articles()}
    golds = [q.gold_docs[0] for q in items if q.answerable]
    assert set(golds) <= sample
    assert {g.split("/")[1] for g in golds} == {
        "business",
        "entertainment",
        "politics",
        "sports",
        "tech",
    }
    assert len(set(golds)) >= 60  # spread over many articles, not a few long ones


def test_near_miss_distractors_share_the_topic_but_not_the_answer(items, corpus):
    for q in (q for q in items if "near_miss" in q.tags):
        d = q.distractor
        assert d and d not in q.gold_docs and d.split("/")[1] == q.gold_docs[0].split("/")[1]
        assert not any(a in corpus[d] for a in q.answers), q.qid


def test_unanswerable_questions_have_no_answer_in_the_corpus(items, corpus):
    """`absent` is a term no article holds, or `ENTITY>>REGEX`: the corpus mentions the entity
    (so the question is on a topic the corpus covers) but none of its sentences matches."""
    for q in (q for q in items if not q.answerable):
        assert not q.answers and not q.gold_docs and q.absent, q
        if ">>" in q.absent:
            entity, pattern = q.absent.split(">>")
            about = [t for t in corpus.values() if entity.lower() in t.lower()]
            assert about, q.qid
            hits = [m.group(0) for t in about if (m := re.search(pattern, t, re.I))]
            assert not hits, (q.qid, hits)
        else:
            assert not any(q.absent.lower() in t.lower() for t in corpus.values()), q.qid


def test_dev_and_heldout_parts_split_by_article_with_unanswerable_questions_in_both(items):
    parts = natural_parts(items)
    assert set(parts) == {q.qid for q in items} and set(parts.values()) == {"dev", "heldout"}
    by_article: dict[str, set[str]] = {}
    for q in items:
        if q.answerable:
            by_article.setdefault(q.gold_docs[0], set()).add(parts[q.qid])
    assert all(len(p) == 1 for p in by_article.values()), "an article's questions span parts"
    counts = Counter((parts[q.qid], q.answerable) for q in items)
    for part in ("dev", "heldout"):
        assert counts[(part, False)] >= 30 and counts[(part, True)] >= 120, counts
    assert natural_parts(items) == parts  # seeded: the same split every run
