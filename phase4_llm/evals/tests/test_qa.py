"""SQuAD v1.1 exact match and token F1, on worked examples of the official script's rules."""

import pytest

from phase4_llm.evals.qa import exact_match, normalize_answer, squad_scores, token_f1


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("The  Cat's hat!", "cats hat"),
        ("An apple, a pear", "apple pear"),
        ("théâtre", "théâtre"),
        ("Then the end", "then end"),
        ("  ", ""),
    ],
)
def test_normalisation_follows_squad(raw, normalised):
    assert normalize_answer(raw) == normalised


def test_f1_counts_repeated_tokens_once_per_match():
    # pred "a a b" vs gold "a b b": common {a:1, b:1} -> P = R = 2/3
    assert token_f1("x x y", "x y y") == pytest.approx(2 / 3)


def test_corpus_scores_take_best_gold_and_are_percentages():
    scores = squad_scores(["Paris", "in 1889"], [["paris", "Paris, France"], ["1889"]])
    assert scores["exact_match"] == pytest.approx(50.0)
    assert scores["f1"] == pytest.approx(100 * (1 + 2 / 3) / 2)
    assert exact_match("The Beatles", "beatles") == 1.0


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="predictions"):
        squad_scores(["a"], [["a"], ["b"]])
    with pytest.raises(ValueError, match="no predictions"):
        squad_scores([], [])
    with pytest.raises(ValueError, match="non-empty list"):
        squad_scores(["a"], ["a"])


def test_answers_that_normalise_to_nothing_get_f1_zero_as_in_squad_v1_1():
    # v1.1 has no special case (v2.0 scores two empty answers as 1): "a" is only an article.
    assert token_f1("a", "a") == 0.0 and exact_match("a", "the") == 1.0
