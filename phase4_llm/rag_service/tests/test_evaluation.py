"""The BBC News evaluation set and the metrics' documented minimums."""

import pytest

from phase4_llm.rag_service import metrics as M
from phase4_llm.rag_service.corpus import bbc_documents
from phase4_llm.rag_service.eval_set import build_questions
from phase4_llm.rag_service.evaluate import MINIMUMS, evaluate


def test_eval_set_has_100_plus_reproducible_questions_answerable_from_their_gold_article():
    qs = build_questions(30)
    assert len(qs) >= 100 and qs == build_questions(30)
    texts = {d.doc_id: d.text for d in bbc_documents(30)}
    for q in qs:
        assert q.question.count("___") == 1 and q.answer in q.sentence
        assert q.sentence in texts[q.gold_doc]
        assert q.question.replace("Fill in the blank: ", "").replace("___", q.answer) in q.sentence


def test_spot_check_of_the_first_question():
    q = build_questions(1)[0]
    assert (q.gold_doc, q.answer) == ("bbc/business/001", "8%")
    assert (
        q.question
        == "Fill in the blank: said on Friday that it now owns ___ of search-engine Google."
    )


def test_metric_examples():
    ranked = ["a", "a", "b", "c"]
    assert M.recall_at_k(ranked, "b", 1) == 0 and M.recall_at_k(ranked, "b", 2) == 1
    assert M.reciprocal_rank(ranked, "c") == pytest.approx(1 / 3)
    assert M.ndcg_at_k(ranked, "b", 5) == pytest.approx(1 / 1.5849625007211562)
    assert M.exact_match("The 76%", "76%") == 1 and M.f1("76 percent", "76%") == pytest.approx(
        2 / 3
    )
    assert M.citation_precision(["g", "x"], "g") == 0.5
    assert M.groundedness("Sky is blue. [1] Grass is red. [2]", ["the sky is blue today"]) == 0.5


def _check(report):
    cloze = report["splits"]["cloze"]
    assert cloze["questions"] >= 100
    assert report["failures"] == [], report["failures"]
    # The re-ranker is measured against plain fusion and must not be worse.
    assert cloze["retrieval"]["hybrid_rerank"]["mrr"] >= cloze["retrieval"]["hybrid"]["mrr"]


def test_cloze_split_meets_documented_minimums_with_the_hashing_embedder():
    _check(evaluate(30, "hashing", splits=("cloze",)))


@pytest.mark.slow
def test_cloze_split_meets_documented_minimums_with_minilm():
    report = evaluate(30, "minilm", splits=("cloze",))
    _check(report)
    assert set(MINIMUMS) <= set(report["splits"]["cloze"]["retrieval"]) | {"answer"}
