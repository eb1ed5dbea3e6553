"""The trivial baseline the evaluation reports beside the pipeline: TF-IDF top document, then
the sentence of that document sharing the most content words with the question.

It has no chunks, no embeddings, no re-ranker and no answer extraction: its short answer is the
whole sentence, so its exact match is near zero by design, and "contains gold" and citation
support (its cited unit is that sentence) are the figures to compare. It declines when the top
document's cosine is below `min_cosine`; `fit_decline_threshold` picks that threshold on the
evaluated split itself, which flatters the baseline (an honest comparison errs that way).
scikit-learn's `TfidfVectorizer` is the reference implementation of the weighting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from phase4_llm.rag_service.chunking import split_sentences
from phase4_llm.rag_service.pipeline import Document

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class BaselineAnswer:
    """Ranked document ids, the chosen sentence (also the short answer) and the top cosine."""

    ranked_docs: list[str]
    sentence: str
    doc_id: str
    score: float


class TfidfBaseline:
    """Whole-article TF-IDF retrieval plus best-overlap sentence selection."""

    def __init__(self, docs: Sequence[Document], min_cosine: float = 0.0) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform([d.text for d in docs])
        self.ids = [d.doc_id for d in docs]
        self.texts = [d.text for d in docs]
        self.stop = frozenset(self.vectorizer.get_stop_words() or ())
        self.min_cosine = min_cosine

    def answer(self, question: str, k: int = 20) -> BaselineAnswer:
        """The top-`k` documents and the best sentence of the first one."""
        sims = (self.matrix @ self.vectorizer.transform([question]).T).toarray().ravel()
        order = np.argsort(-sims, kind="stable")[:k]
        best = int(order[0])
        words = {w for w in _WORD.findall(question.lower()) if w not in self.stop}
        # Title line and body both count; max() keeps the first sentence on ties.
        sentences = split_sentences(self.texts[best]) or [self.texts[best]]
        sentence = max(sentences, key=lambda s: len(words & set(_WORD.findall(s.lower()))))
        return BaselineAnswer(
            [self.ids[i] for i in order], sentence, self.ids[best], float(sims[best])
        )

    def declines(self, ans: BaselineAnswer) -> bool:
        """Whether this answer falls below the decline threshold."""
        return ans.score < self.min_cosine


def fit_decline_threshold(
    scores: Sequence[float], answerable: Sequence[bool], max_false_decline: float | None = None
) -> float:
    """The cosine threshold maximising (unanswerable declined) - (answerable declined), or,
    with `max_false_decline`, the most unanswerable declined within that false-decline budget
    (the pipeline's rule, `calibration.fit_threshold`, so both are compared at one rule).

    0.0 (never decline) when every question is answerable: `fit_decline_threshold([.2, .5],
    [False, True]) == 0.5`, since declining below 0.5 rejects the unanswerable one only.
    """
    s = np.asarray(scores, dtype=float)
    a = np.asarray(answerable, dtype=bool)
    if a.all() or not len(s):
        return 0.0
    best, best_gain = 0.0, 0.0
    for t in np.unique(s):
        declined = s < t
        false_rate = declined[a].mean() if a.any() else 0.0
        if max_false_decline is None:
            gain = declined[~a].mean() - false_rate
        elif false_rate <= max_false_decline + 1e-12:
            gain = declined[~a].mean()
        else:
            continue
        if gain > best_gain:
            best, best_gain = float(t), gain
    return best
