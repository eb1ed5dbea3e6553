"""Extractive-QA metrics as the SQuAD v1.1 evaluation script defines them: EM and token F1.

Answers are normalised (lower case, punctuation and the articles a/an/the removed, whitespace
collapsed) before comparing; with several gold answers the best score counts.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: `normalize_answer("The  Cat's hat!") == "cats hat"`."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _PUNCT)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def exact_match(prediction: str, truth: str) -> float:
    """1.0 when the normalised strings are equal, else 0.0."""
    return float(normalize_answer(prediction) == normalize_answer(truth))


def token_f1(prediction: str, truth: str) -> float:
    """Harmonic mean of token precision and recall over normalised bags of words.

    `token_f1("the big cat", "a cat") == 2 * (1/2 * 1/1) / (1/2 + 1/1)` (= 0.667).
    """
    pred = normalize_answer(prediction).split()
    gold = normalize_answer(truth).split()
    common = Counter(pred) & Counter(gold)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(gold)
    return 2 * precision * recall / (precision + recall)


def squad_scores(predictions: Sequence[str], answers: Sequence[Sequence[str]]) -> dict[str, float]:
    """Corpus EM and F1 in percent; `answers[i]` holds the gold answers of question i."""
    if len(predictions) != len(answers):
        raise ValueError(f"{len(predictions)} predictions but {len(answers)} answer lists")
    if not predictions:
        raise ValueError("no predictions to score")
    em = f1 = 0.0
    for pred, golds in zip(predictions, answers, strict=True):
        if isinstance(golds, str) or not golds:
            raise ValueError("each entry of answers must be a non-empty list of strings")
        em += max(exact_match(pred, g) for g in golds)
        f1 += max(token_f1(pred, g) for g in golds)
    n = len(predictions)
    return {"exact_match": 100.0 * em / n, "f1": 100.0 * f1 / n}
