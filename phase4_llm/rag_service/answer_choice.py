"""Which retrieved sentence answers, and whether the retrieved chunks can answer at all.

`answer_span.rank_sentences` orders sentences by lexical evidence alone (that order feeds the
decline score). The answer itself is picked with two more signals: how well the sentence's
chunk was retrieved (the re-ranker's score) and the question-sentence embedding cosine. The
weights are a softmax ranker fitted on the natural split's dev part in a one-off study (README,
Answering); the effect is measured by `make eval-rag`, not by a test.

Whether to answer at all is `evidence_score`, fitted against the "not found" threshold.
`unknown_terms` counts the question's names the whole store never mentions, `absent_names`
those none of its retrieved chunks mention ("How much did Google pay to buy YouTube?" over
chunks about Google alone): either way the chunks cannot answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from phase4_llm.rag_service.answer_span import Choice, _stem
from phase4_llm.rag_service.bm25 import tokenize

SPAN_WEIGHT = 0.72  # how well a span of the asked type fits (0-2)
CHUNK_WEIGHT = 1.79  # the chunk's retrieval score (cosine + 0.5 coverage)
COSINE_WEIGHT = 0.15  # question-sentence cosine, only inside the pool
POOL = 8  # sentences embedded for the cosine (and the decline score's best cosine)
# With the reader (reader.py): its logit in the pool's order, its best logit in the evidence,
# and no question-sentence cosine (with the reader it added nothing, so it is not computed).
# A grid on the dev part and the training split, scored with out-of-fold reader scores
# (each training question read by a reader trained on the other half; README, Answering).
READER_WEIGHT = 0.05
READER_EVIDENCE = 0.4
# With the reader the quote's runners-up come from the same order: the next two sentences
# scoring within this margin of the best (the smallest margin at which "contains gold" and
# support stopped rising on the dev part and the training split; README, Answering).
READER_RUNNER_MARGIN = 1.0


def _base_score(c: Choice, chunk_scores: list[float]) -> float:
    """Lexical relevance, typed-span fit and the retrieval score of the sentence's chunk
    (context `n` has `chunk_scores[n-1]`)."""
    return c.relevance + SPAN_WEIGHT * c.span_score + CHUNK_WEIGHT * chunk_scores[c.n - 1]


def answer_pool(ranked: list[Choice], chunk_scores: list[float], size: int = POOL) -> list[Choice]:
    """The `size` sentences most likely to hold the answer, best first by `_base_score`."""
    return sorted(ranked, key=lambda c: -_base_score(c, chunk_scores))[:size]


def scored_order(
    pool: list[Choice],
    chunk_scores: list[float],
    cosines: list[float],
    reads: list[float] | None = None,
) -> list[tuple[Choice, float]]:
    """`pool` re-ordered with each sentence's question cosine added (`cosines[i]` is pool[i]'s),
    and its reader score when there is one; each with its score, best first."""
    reads = reads or [0.0] * len(pool)
    scored = [
        (_base_score(c, chunk_scores) + COSINE_WEIGHT * cos + READER_WEIGHT * read, i)
        for i, (c, cos, read) in enumerate(zip(pool, cosines, reads, strict=True))
    ]
    return [(pool[i], sc) for sc, i in sorted(scored, key=lambda s: (-s[0], s[1]))]


def answer_order(
    pool: list[Choice],
    chunk_scores: list[float],
    cosines: list[float],
    reads: list[float] | None = None,
) -> list[Choice]:
    """The pool, most likely answer sentence first (`scored_order` without the scores)."""
    return [c for c, _ in scored_order(pool, chunk_scores, cosines, reads)]


def close_runners(
    scored: list[tuple[Choice, float]], margin: float = READER_RUNNER_MARGIN
) -> list[Choice]:
    """The next two sentences of a scored order within `margin` of the best one's score."""
    if not scored:
        return []
    top = scored[0][1]
    return [c for c, sc in scored[1:3] if sc >= top - margin]


def _question_names(question: str) -> list[str]:
    """Capitalised words of the question after its first word, possessives cut."""
    words = re.findall(r"[\w'’.-]+", question.replace("’", "'"))
    return [w.removesuffix("'s").strip(".-") for w in words[1:] if w[:1].isupper()]


def absent_names(question: str, texts: list[str]) -> int:
    """How many names of the question no text in `texts` mentions. A name counts as
    mentioned when every stem of it occurs, or when a capitalised run of the question is
    abbreviated in the texts ("World Trade Organisation" -> "WTO")."""
    names = _question_names(question)
    if not names:
        return 0
    joined = " ".join(texts)
    stems = set(map(_stem, tokenize(joined)))
    acronyms = set(re.findall(r"\b[A-Z]{2,6}\b", joined))
    abbreviated: set[str] = set()
    for run in re.findall(r"(?:[A-Z][\w'’-]*\s?){2,}", question):
        words = run.split()
        if "".join(w[0] for w in words) in acronyms:
            abbreviated |= set(words)
    return sum(
        name not in abbreviated and not set(map(_stem, tokenize(name))) <= stems for name in names
    )


def unknown_terms(question: str, df: Callable[[str], int]) -> int:
    """How many names or figures of the question (capitalised past its first word, or holding
    a digit) no indexed chunk contains: `df(term)` is the term's document frequency.

    A question about "Instagram" cannot be answered by a corpus that never says "Instagram".
    """
    out = 0
    for i, word in enumerate(re.findall(r"[\w'’.-]+", question.replace("’", "'"))):
        named = i > 0 and any(c.isupper() for c in word)
        if named or any(c.isdigit() for c in word):
            for t in tokenize(word.strip(".-")):
                # the index keeps "charlotte's" whole: either spelling counts as known
                bare = t.removesuffix("'s")
                out += df(t) == 0 and df(bare) == 0 and df(bare + "'s") == 0
    return out


def evidence_score(
    choice: Choice | None,
    cosine: float = 0.0,
    unknown: int = 0,
    absent: int = 0,
    read: float | None = None,
) -> float:
    """One evidence score (higher: answerable) from the chosen sentence: its lexical relevance,
    `cosine` (the best question-sentence embedding cosine among the retrieved chunks), how well
    a span of the asked type fits (`span_score`: "how many" needs a number, "who" a name near
    the question's words), minus a number of the question missing from its chunk and a name of
    the question unknown to the corpus (`unknown_terms`) or to every retrieved chunk (`absent`,
    `absent_names`), plus the reader's best score over the pool (`read`) when there is one.
    Weights: a grid fitted on the natural split's dev part (README, Answering); the threshold
    depends on the embedder and on the reader."""
    if choice is None:
        return -1.0
    return (
        choice.relevance
        + 0.15 * choice.typed
        + 1.0 * cosine
        + 0.28 * choice.span_score
        - 0.8 * choice.missing_number
        - 1.0 * (unknown > 0 or absent > 0)
        + (READER_EVIDENCE * read if read is not None else 0.0)
    )
