"""Build the evaluation set from BBC News articles by a fixed, documented template.

Procedure (deterministic; no model involved):
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

import re
from dataclasses import dataclass

from phase4_llm.rag_service.chunking import split_sentences
from phase4_llm.rag_service.corpus import bbc_documents

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
