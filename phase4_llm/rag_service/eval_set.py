"""The evaluation splits over BBC News: cloze questions built by a fixed template, natural
questions written by the project (`data/natural_questions.jsonl`), and a larger training split
of natural questions over other articles (`data/natural_train.jsonl`; README, Evaluation).

Cloze procedure (deterministic; no model involved):
1. Take the articles of `corpus.bbc_documents(per_category)` in order; skip the title line.
2. In each article, take the first body sentence of 12-45 words that holds exactly one
   figure token (`76%`, `$1.13bn`, `£600m`, `2,000`, `3.5`, `1997`...).
3. The question is a window of that sentence, at most 7 words before the figure and 5 after,
   with the figure replaced by `___`, prefixed with "Fill in the blank: " (a window, not the
   whole sentence, so that retrieval has to work); the reference answer is the figure; the
   gold document is the article. Articles without such a sentence contribute no question.
Every question is thus answerable from exactly the article it came from (a duplicate story
elsewhere in the corpus counts as a miss, which keeps recall honest rather than inflated).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from phase4_llm.rag_service.chunking import split_sentences
from phase4_llm.rag_service.corpus import CATEGORIES, bbc_documents
from phase4_llm.rag_service.pipeline import Document

FIGURE = re.compile(r"(?<![\w$£€])[$£€]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:%|bn|m|k)?(?![\w])")


@dataclass(frozen=True)
class Question:
    """One evaluation item."""

    qid: str
    question: str
    answer: str
    gold_doc: str
    sentence: str


def build_questions(per_category: int = 30) -> list[Question]:
    """One cloze question per article that has a suitable sentence."""
    out: list[Question] = []
    for doc in bbc_documents(per_category):
        body = doc.text.strip().split("\n", 1)[1] if "\n" in doc.text.strip() else ""
        for sent in split_sentences(body):
            words = sent.split()
            figures = FIGURE.findall(sent)
            if not 12 <= len(words) <= 45 or len(figures) != 1:
                continue
            m = FIGURE.search(sent)
            assert m is not None
            # Keep the sentence's own spacing around the blank ("the ___-year-old").
            left = re.search(r"(?:\S+\s*){0,7}$", sent[: m.start()])
            right = re.match(r"(?:\s*\S+){0,5}", sent[m.end() :])
            window = (left.group(0) if left else "") + "___" + (right.group(0) if right else "")
            question = "Fill in the blank: " + window
            out.append(Question(f"q{len(out):03d}", question, m.group(0), doc.doc_id, sent))
            break
    return out


# --- The natural split: questions written by people, not by a template -------------------

NATURAL_PATH = Path(__file__).with_name("data") / "natural_questions.jsonl"
SAMPLE_SEED, SAMPLE_PER_CATEGORY = 19, 14
ANSWER_TYPES = ("number", "money", "date", "person", "place", "organisation", "other")


@dataclass(frozen=True)
class EvalItem:
    """A question of either split: gold answers and documents, empty when unanswerable."""

    qid: str
    question: str
    answers: tuple[str, ...]
    gold_docs: tuple[str, ...]
    answerable: bool = True
    type: str = "other"
    tags: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    distractor: str | None = None
    absent: str | None = None


def sample_articles(
    seed: int = SAMPLE_SEED, per_category: int = SAMPLE_PER_CATEGORY
) -> list[Document]:
    """The articles the natural questions were written from: a seeded sample per category."""
    rng = random.Random(seed)
    docs = bbc_documents()
    out: list[Document] = []
    for cat in CATEGORIES:
        out += rng.sample([d for d in docs if d.doc_id.split("/")[1] == cat], per_category)
    return out


def natural_questions(path: Path = NATURAL_PATH) -> list[EvalItem]:
    """The natural split, read from the project's JSONL file (one question per line)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out.append(
            EvalItem(
                row["qid"],
                row["question"],
                tuple(row["answers"]),
                tuple(row["gold_docs"]),
                row["answerable"],
                row["type"],
                tuple(row["tags"]),
                tuple(row["evidence"]),
                row.get("distractor"),
                row.get("absent"),
            )
        )
    return out


# --- The training split: the same kind of questions over other articles ------------------
# Written the same way as the natural split, over articles disjoint from its sample (and from
# any article sharing a sentence with it): answering weights and the "not found" threshold
# are fitted on it with the dev part; it never judges a goal (README, Evaluation).
TRAIN_PATH = NATURAL_PATH.with_name("natural_train.jsonl")


def training_questions(path: Path = TRAIN_PATH) -> list[EvalItem]:
    """The training split, in the natural split's shape (no `distractor`)."""
    return natural_questions(path)


def cloze_items(per_category: int = 30) -> list[EvalItem]:
    """The cloze split (`build_questions`) in the common item shape."""
    return [
        EvalItem(
            q.qid, q.question, (q.answer,), (q.gold_doc,), tags=("cloze",), evidence=(q.sentence,)
        )
        for q in build_questions(per_category)
    ]


# Dev / held-out halves of the natural split: rules and thresholds are fitted on `dev` only,
# and the goals are judged on `heldout`. Split by article, so no held-out question shares its
# article (and the article's wording) with a question the rules were tuned on.
PART_SEED = 2024


def natural_parts(items: list[EvalItem], seed: int = PART_SEED) -> dict[str, str]:
    """qid -> "dev" or "heldout": half of each category's articles (seeded), with all their
    questions, and half of the unanswerable questions."""
    rng = random.Random(seed)
    out: dict[str, str] = {}
    for cat in CATEGORIES:
        arts = sorted(
            {q.gold_docs[0] for q in items if q.answerable and f"/{cat}/" in q.gold_docs[0]}
        )
        rng.shuffle(arts)
        dev = set(arts[: len(arts) // 2])
        for q in items:
            if q.answerable and q.gold_docs[0] in arts:
                out[q.qid] = "dev" if q.gold_docs[0] in dev else "heldout"
    unans = sorted(q.qid for q in items if not q.answerable)
    rng.shuffle(unans)
    for i, qid in enumerate(unans):
        out[qid] = "dev" if i < len(unans) // 2 else "heldout"
    return out
