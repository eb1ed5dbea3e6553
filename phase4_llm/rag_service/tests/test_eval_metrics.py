"""Metric arithmetic on hand-computed cases, the TF-IDF baseline, and the evaluator end to end on
a small corpus slice (hashing embedder, extractive generator)."""

import pytest

from phase4_llm.rag_service import eval_metrics as E
from phase4_llm.rag_service.baseline_tfidf import TfidfBaseline, fit_decline_threshold
from phase4_llm.rag_service.corpus import bbc_documents
from phase4_llm.rag_service.eval_set import natural_questions
from phase4_llm.rag_service.evaluate import BASELINE, evaluate
from phase4_llm.rag_service.pipeline import Document


def test_best_of_several_gold_answers():
    assert E.best_em("The Tony Blair", ["Blair", "Tony Blair"]) == 1.0
    # "blair" vs "tony blair": precision 1, recall 1/2 -> F1 2/3.
    assert E.best_f1("Blair", ["Tony Blair", "Gordon Brown"]) == pytest.approx(2 / 3)
    assert E.best_em("x", []) == 0.0


def test_contains_answer_needs_whole_tokens():
    assert E.contains_answer("Rebuilding would cost £8m, he said.", ["£8m"]) == 1.0
    assert E.contains_answer("It cost £18m.", ["£8m"]) == 0.0
    assert E.contains_answer("the hip injury", ["hip"]) == 1.0
    assert E.contains_answer("a ship sailed", ["hip"]) == 0.0


def test_retrieval_with_several_gold_documents():
    ranked = ["a", "a", "b", "c", "d"]
    # Distinct documents: a, b, c, d; "c" is third.
    assert E.recall_any(ranked, ["c", "z"], 3) == 1.0 and E.recall_any(ranked, ["c"], 2) == 0.0
    assert E.reciprocal_rank_any(ranked, ["d", "c"]) == pytest.approx(1 / 3)
    assert E.reciprocal_rank_any(ranked, ["z"]) == 0.0
    s = E.retrieval_summary([["a", "b"], ["b", "a"]], [["a"], ["a"]])
    assert s == {"recall@1": 0.5, "recall@5": 1.0, "mrr": 0.75}


def test_decline_precision_recall_and_false_declines():
    # 4 answerable, 2 unanswerable; declined: one answerable and one unanswerable.
    declined = [True, False, False, False, True, False]
    answerable = [True, True, True, True, False, False]
    assert E.decline_scores(declined, answerable) == {
        "decline_precision": 0.5,
        "decline_recall": 0.5,
        "false_decline_rate": 0.25,
    }
    none = E.decline_scores([False, False], [True, True])
    assert none == {"decline_precision": None, "decline_recall": None, "false_decline_rate": 0.0}


def test_latency_percentiles_interpolate_linearly():
    p = E.latency_percentiles([10.0, 20.0, 30.0, 40.0, 50.0])
    # rank (n-1)q: 2.0 -> 30, 3.8 -> 40 + 0.8*10, 3.96 -> 49.6
    assert p == pytest.approx({"p50_ms": 30.0, "p95_ms": 48.0, "p99_ms": 49.6})
    assert E.latency_percentiles([])["p50_ms"] is None


def _row(answerable, found, em=0.0, contains=0.0, precision=0.0, support=0.0, grounded=1.0):
    return {
        "answerable": answerable,
        "found": found,
        "em": em,
        "f1": em,
        "contains": contains,
        "citation_precision": precision,
        "support": support,
        "groundedness": grounded,
        "latency_ms": 1.0,
    }


def test_summary_denominators():
    rows = [
        _row(True, True, em=1, contains=1, precision=1, support=1),
        _row(True, True, em=0, contains=1, precision=0.5, support=0, grounded=0.5),
        _row(True, False),  # wrongly declined: counts 0 for EM/contains, not in citation means
        _row(False, False),  # rightly declined
        _row(False, True, grounded=0.0),  # answered an unanswerable question
    ]
    s = E.summarise(rows)
    assert s["em"] == pytest.approx(1 / 3) and s["contains_gold"] == pytest.approx(2 / 3)
    assert s["citation_precision"] == pytest.approx(0.75) and s["citation_support"] == 0.5
    assert s["groundedness"] == pytest.approx(1.5 / 3)  # over the three answered rows
    assert s["answered"] == pytest.approx(3 / 5)
    assert (s["decline_precision"], s["decline_recall"]) == (0.5, 0.5)
    assert s["false_decline_rate"] == pytest.approx(1 / 3)


def test_decline_threshold_separates_scores():
    assert fit_decline_threshold([0.2, 0.5], [False, True]) == 0.5
    # Overlapping scores: 0.4 declines both unanswerable and one of three answerable (gain 2/3).
    scores, answerable = [0.1, 0.3, 0.35, 0.4, 0.6], [False, False, True, True, True]
    assert fit_decline_threshold(scores, answerable) == 0.35
    assert fit_decline_threshold([0.1, 0.9], [True, True]) == 0.0


def test_baseline_takes_the_top_document_and_its_best_overlapping_sentence():
    docs = [
        Document("a", "Cats\n\nCats sleep a lot. The cat Tom weighs 5kg and likes fish."),
        Document("b", "Dogs\n\nDogs bark. The dog Rex weighs 30kg."),
    ]
    base = TfidfBaseline(docs)
    ans = base.answer("How much does the dog Rex weigh?")
    assert ans.ranked_docs == ["b", "a"] and ans.doc_id == "b"
    assert ans.sentence == "The dog Rex weighs 30kg."
    assert 0 < ans.score <= 1 and not base.declines(ans)
    base.min_cosine = 1.01
    assert base.declines(ans)


@pytest.fixture(scope="module")
def small_report():
    items = natural_questions()
    first = [q for q in items if q.answerable][:40]
    gold = {g for q in first for g in q.gold_docs}
    docs = bbc_documents()
    subset = [d for d in docs if d.doc_id in gold] + [d for d in docs[:30] if d.doc_id not in gold]
    report = evaluate(embedder="hashing", docs=subset, splits=("natural",), max_questions=40)
    return report, len(subset)


def test_evaluator_on_a_corpus_slice_reports_every_metric(small_report):
    report, n_docs = small_report
    nat = report["splits"]["natural"]
    # A seeded sample of 40 of the questions whose gold article was ingested (and of the
    # unanswerable ones), so both kinds are present.
    assert nat["questions"] == 40 and 0 < nat["unanswerable"] < 40
    assert set(nat["answers"]) == {BASELINE, "extractive"}
    for name, summary in nat["answers"].items():
        rows = nat["rows"][name]
        recomputed = E.summarise(rows)
        for key in ("em", "contains_gold", "citation_support", "decline_recall"):
            assert summary[key] == pytest.approx(recomputed[key], abs=1e-4), (name, key)
        declined_unans = sum(1 for r in rows if not r["answerable"] and not r["found"])
        assert summary["decline_recall"] == pytest.approx(
            declined_unans / nat["unanswerable"], abs=1e-4
        )
        assert summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"]
    # TF-IDF on whole articles finds these stories: the slice is small and the questions
    # name their subject.
    assert nat["retrieval"][BASELINE]["recall@5"] >= 0.9
    assert set(nat["by_type"]) >= {"person", "number"}
    assert report["documents"] == n_docs


def test_dev_and_heldout_figures_are_the_rows_of_each_part(small_report):
    report, _ = small_report
    nat = report["splits"]["natural"]
    parts = nat["parts"]
    assert set(nat["by_part"]) == {"dev", "heldout"}
    for part, gens in nat["by_part"].items():
        for name, summary in gens.items():
            rows = [r for r in nat["rows"][name] if parts[r["qid"]] == part]
            assert summary["questions"] == len(rows) > 0
            assert summary["em"] == pytest.approx(E.summarise(rows)["em"], abs=1e-4)
    n = sum(g["extractive"]["questions"] for g in nat["by_part"].values())
    assert n == nat["questions"]
    # the goals are judged on the held-out part
    assert all("held-out" in m for m in report["target_misses"])
