"""The answer sentence with retrieval scores and cosines, names the retrieved chunks never
mention, the word-list type cues, and the false-decline budget of the "not found" threshold.
Passages and questions are written for these tests."""

import pytest

from phase4_llm.rag_service.answer_choice import (
    absent_names,
    answer_order,
    answer_pool,
    evidence_score,
)
from phase4_llm.rag_service.answer_gazetteer import is_place, starts_with_given_name
from phase4_llm.rag_service.answer_span import choose, rank_sentences
from phase4_llm.rag_service.baseline_tfidf import fit_decline_threshold
from phase4_llm.rag_service.calibration import decline_stats, fit_threshold
from phase4_llm.rag_service.generators import ExtractiveGenerator

# Two chunks that say the same thing of two different boards: a lexical tie.
CHUNKS = [
    "Fenwick Rail met its staff on Friday. The new board is led by Alan Pryce, who said so.",
    "Ostley Water met its staff on Friday. The new board is led by Ruth Okafor, who said so.",
]
QUESTION = "Who is the new board led by?"


def test_the_retrieval_score_of_the_chunk_breaks_a_lexical_tie():
    ranked = rank_sentences(QUESTION, CHUNKS)
    # Lexically the first chunk wins by its rank alone.
    assert ranked[0].n == 1 and ranked[0].span == "Alan Pryce"
    pool = answer_pool(ranked, [0.1, 0.9])
    assert pool[0].n == 2 and pool[0].span == "Ruth Okafor"
    assert answer_pool(ranked, [0.9, 0.1])[0].span == "Alan Pryce"
    assert len(answer_pool(ranked, [0.1, 0.9], size=1)) == 1


def test_the_cosine_reorders_the_pool_and_the_quote_starts_with_the_chosen_sentence():
    ranked = rank_sentences(QUESTION, CHUNKS)
    pool = answer_pool(ranked, [0.5, 0.5])
    sims = [0.0] * len(pool)
    target = next(i for i, c in enumerate(pool) if "Ruth Okafor" in c.sentence)
    sims[target] = 5.0  # an overwhelming cosine decides
    best = answer_order(pool, [0.5, 0.5], sims)[0]
    assert best is pool[target]
    got = ExtractiveGenerator().quote(ranked, best)
    assert got.text.startswith(best.sentence) and got.short_answer == "Ruth Okafor"
    assert 2 in got.cited
    with pytest.raises(ValueError):
        answer_order(pool, [0.5, 0.5], sims[:-1])  # one cosine per pool sentence


def test_names_absent_from_every_retrieved_chunk_are_counted():
    chunks = ["The World Trade Organisation has 148 members, the WTO said in Geneva."]
    assert absent_names("How many members does the World Trade Organisation have?", chunks) == 0
    # Abbreviated in the chunk: "WTO" stands for the capitalised run.
    abbreviated = ["The WTO has 148 members."]
    question = "How many members does the World Trade Organisation have?"
    assert absent_names(question, abbreviated) == 0
    # A possessive is the name itself; a name the chunks never mention is counted.
    assert absent_names("What did Geneva's mayor say about YouTube and Skype?", chunks) == 2
    assert absent_names("how many members are there?", chunks) == 0  # no names at all


def test_an_absent_name_lowers_the_evidence_like_an_unknown_one():
    choice = choose("How many members does the WTO have?", ["The WTO has 148 members."])
    assert choice is not None
    plain = evidence_score(choice, 0.6)
    assert evidence_score(choice, 0.6, absent=1) == pytest.approx(plain - 1.0)
    # Both at once cost no more than one: either alone means the chunks cannot answer.
    assert evidence_score(choice, 0.6, unknown=1, absent=2) == pytest.approx(plain - 1.0)


def test_word_lists_type_places_and_people():
    assert is_place("London") and is_place("Hong Kong") and not is_place("Mellon Bank")
    assert starts_with_given_name("Anne Borthwick") and not starts_with_given_name("Anne")
    assert not starts_with_given_name("Waverley Line")
    sentence = ["Shares were sold in London by the broker Castlebridge Securities."]
    assert choose("Which broker sold the shares?", sentence).span == "Castlebridge Securities"
    assert choose("In which city were the shares sold?", sentence).span == "London"


def test_the_question_own_word_in_another_form_is_not_the_answer():
    passage = ["Engerwitzdorf, a village in Austria, runs its own internet news channel."]
    assert choose("Which Austrian village runs a news channel?", passage).span == "Engerwitzdorf"


SCORES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]
ANSWERABLE = [False, False, True, False, True, True, True, True, True, True, True, True]


def test_the_threshold_fitted_at_a_false_decline_budget_respects_it():
    youden = fit_threshold(SCORES, ANSWERABLE)
    budget = fit_threshold(SCORES, ANSWERABLE, max_false_decline=0.0)
    assert decline_stats(SCORES, ANSWERABLE, budget)["false_decline_rate"] == 0.0
    # Within the budget it declines as much as it can: the two lowest unanswerable ones.
    assert decline_stats(SCORES, ANSWERABLE, budget)["recall"] == pytest.approx(2 / 3)
    # Youden's J accepts one answerable decline to catch all three unanswerable questions.
    assert decline_stats(SCORES, ANSWERABLE, youden)["recall"] == 1.0
    assert budget < youden
    loose = fit_threshold(SCORES, ANSWERABLE, max_false_decline=0.2)
    assert decline_stats(SCORES, ANSWERABLE, loose)["recall"] == 1.0


def test_the_baseline_is_fitted_at_the_same_budget():
    assert fit_decline_threshold(SCORES, ANSWERABLE, max_false_decline=0.0) == pytest.approx(0.3)
    assert fit_decline_threshold(SCORES, ANSWERABLE) == pytest.approx(0.5)
