"""Extractive answering: the answer sentence by question-sentence relevance, a short span typed
by the question, and one evidence score that the "not found" threshold is fitted on.

Sentence relevance is idf-weighted coverage of the question's content words (prefix-stemmed, so
"grow" meets "growth"), with the chunk title counting at a third (it names the story's subject)
and the previous sentence at a half (the answer sentence often says only "it" or "he").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from phase4_llm.rag_service import answer_words as W
from phase4_llm.rag_service.answer_gazetteer import is_place, starts_with_given_name
from phase4_llm.rag_service.bm25 import tokenize
from phase4_llm.rag_service.chunking import split_sentences

QTYPES = ("number", "money", "date", "person", "place", "organisation", "other")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_SCALE = r"(?:bn|m|k|billion|million|trillion)\b"
MONEY = re.compile(
    r"(?:[A-Z]{0,2}[$£€]|\bUS\$)\s?\d[\d,]*(?:\.\d+)?(?:\s?" + _SCALE + r")?"
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:" + _SCALE + r"\s?)?(?:cents|pence|euros|dollars|pounds|yen)\b"
)
NUMBER = re.compile(
    r"\b\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per cent|percent)|\s(?:million|billion|bn|m)\b"
    r"|\s(?:cents|pence|hours|minutes(?: \d+ seconds)?|seconds|weeks|days|months|years|times)\b)?"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|dozen)(?:\s(?:times|million|billion|weeks|days|months|years|hours))?\b"
)
DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:-\d{{1,2}})?\s(?:{MONTHS})(?:\s(?:19|20)\d\d)?|(?:{MONTHS})(?:\s\d{{1,2}})?(?:,?\s(?:19|20)\d\d)?"
    rf"|1[5-9]\d\d|20\d\d|{DAYS})\b"
)
_CAP = r"(?:[A-Z][\w'’&.-]*|\d+(?=\s[A-Z]))"
ENTITY = re.compile(
    rf"{_CAP}(?:\s(?:(?:of|de|van|von|der|la|du|St|the|and|&|for)\s)?{_CAP})*(?:\s\d+\b)?"
)
# Type cues from the word lists (answer_gazetteer.py), set on the dev part.
PLACE_BONUS, PLACE_PENALTY, NAME_BONUS, NAME_PENALTY = 0.3, 0.4, 0.3, 0.3
QUOTED = re.compile(r"[\"“']([^\"”']{2,60})[\"”']")


def question_type(question: str) -> str:
    """The answer type a question asks for, one of `QTYPES`."""
    q = question.lower()
    noun = _wh_noun(q)
    money = bool(
        re.search(
            r"\b(?:money|price|cost|costs|loss|lose|lost|profit|dividend|valued?|fee|worth|"
            r"revenue|pay|paid|payment|reward|offer|borrow|spend|raise|earn|fine)\b"
            r"|in (?:dollars|pounds|euros)|at what rate",
            q,
        )
    )
    if re.search(r"\bhow (?:many|old|far|long|often)\b|percentage|proportion|per cent", q):
        return "number"
    if re.search(r"\bhow much\b|\bhow (?:large|big)\b|\bwhat (?:level|total|share)\b", q):
        return "money" if money and "share of" not in q else "number"
    if noun:
        return noun
    if re.search(r"\bwho(?:m|se)?\b|\bname of\b.*'s\b", q):
        return "person"
    if re.search(
        r"\bwhen\b|\b(?:what|which) (?:year|date|day|month|weekend)\b|\bearliest\b|\blatest\b", q
    ):
        return "date"
    if re.search(r"\bwhere\b", q):
        return "place"
    if money and re.search(r"^(?:what|roughly what|how)\b", q):
        return "money"
    if re.search(r"\b(?:rate|share|population)\b", q):
        return "number"
    return "other"


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s").strip(",.")


def _wh_words(q: str) -> set[str]:
    """Stems of the nouns after "which/what" ("which games company" -> gam, company)."""
    m = re.search(r"\b(?:which|what)\s+((?:[a-z&'-]+\s+){0,3})", q + " ")
    out: set[str] = set()
    for word in m.group(1).split() if m else []:
        if word in W.STOP_NOUN:
            break
        out.add(_stem(word))
    return out


def _wh_noun(q: str) -> str:
    """The type named by the noun of a "which/what X" question ("which bank" -> organisation)."""
    m = re.search(r"\b(?:which|what)\s+((?:[a-z&'-]+\s+){0,4})", q + " ")
    found = ""
    for word in (w.removesuffix("'s") for w in (m.group(1).split() if m else [])):
        if word in W.STOP_NOUN:
            break
        for kind, nouns in (
            ("person", W.PERSON_TYPES),
            ("place", W.PLACE_TYPES),
            ("organisation", W.ORG_TYPES),
        ):
            if word in nouns:
                found = kind
    return found


@dataclass
class Choice:
    """The chosen sentence (context number, text), its short span, and the evidence score."""

    n: int
    sentence: str
    span: str
    qtype: str
    evidence: float
    relevance: float
    typed: bool
    missing_number: bool = False  # a number the question names is not in the sentence's chunk
    span_score: float = 0.0  # how well the best typed span fits the question (0: none), <= 2


_SUFFIX = re.compile(r"(?:ations?|ings?|ures?|ments?|ers?|ed|es|s|e)$")


def _stem(tok: str) -> str:
    """A crude stem: synonyms merged, common suffixes cut, then the first six letters."""
    tok = tok.replace("'s", "").replace("’s", "")
    if tok in W.SYNONYMS:
        return W.SYNONYMS[tok]
    cut = _SUFFIX.sub("", tok) if len(tok) > 4 else tok
    return cut[:6]


def rank_sentences(
    question: str,
    contexts: list[str],
    idf: Callable[[str], float] | None = None,
    titles: list[str] | None = None,
) -> list[Choice]:
    """Every sentence of `contexts` (numbered from 1) as a `Choice`, best first."""
    qtype = question_type(question)
    q_terms = {_stem(t): t for t in tokenize(question) if t not in W.QSTOP}
    weight = {s: (idf(t) if idf else 1.0) for s, t in q_terms.items()}
    total = sum(weight.values()) or 1.0
    # "Brando's voice": the question's words without the possessive, so "Brando" is one of them
    q_words = {_bare(w.lower()) for w in re.findall(r"[\w'’&.-]+", question)} - W.TYPE_NOUNS
    q_nouns = _wh_words(question.lower())
    q_numbers = set(re.findall(r"\d[\d,.]*\d|\d", question))
    out: list[Choice] = []
    for n, ctx in enumerate(contexts, start=1):
        title = set(map(_stem, tokenize(titles[n - 1]))) if titles else set()
        missing = any(not re.search(rf"(?<![\d.,]){re.escape(x)}(?![\d])", ctx) for x in q_numbers)
        prev: set[str] = set()
        for sent in split_sentences(ctx):
            stems = set(map(_stem, tokenize(sent)))
            rel = sum(
                w * (1.0 if s in stems else 0.5 if s in prev else 0.33 if s in title else 0.0)
                for s, w in weight.items()
            )
            rel = rel / total - 0.02 * (n - 1)
            prev = stems
            span, cand = _best_span(sent, qtype, q_words, q_terms, q_nouns)
            score = rel + 0.35 * min(cand, 2.0)
            out.append(
                Choice(n, sent, span or sent, qtype, score, rel, cand > 0, missing, min(cand, 2.0))
            )
    out.sort(key=lambda c: -c.evidence)
    return out


def choose(
    question: str,
    contexts: list[str],
    idf: Callable[[str], float] | None = None,
    titles: list[str] | None = None,
) -> Choice | None:
    """The best answer sentence among `contexts` (numbered from 1) with its typed span."""
    ranked = rank_sentences(question, contexts, idf, titles)
    return ranked[0] if ranked else None


def _candidates(sent: str, qtype: str) -> list[tuple[str, int]]:
    """(text, start offset) of spans of the type `qtype` asks for."""
    if qtype in ("money", "number"):
        pats = [MONEY, NUMBER]
    elif qtype == "date":
        pats = [DATE]
    elif qtype == "other":
        pats = [QUOTED, ENTITY, NUMBER]
    else:
        pats = [ENTITY]
    out: list[tuple[str, int]] = []
    taken: list[tuple[int, int]] = []
    for pat in pats:
        for m in pat.finditer(sent):
            text, start = (m.group(1), m.start(1)) if pat is QUOTED else (m.group(0), m.start())
            if any(a <= start < b for a, b in taken):
                continue  # "4.3" inside "£4.3bn"
            taken.append((start, start + len(text)))
            out.extend(_trim(text.strip(" ,.;:'\""), start, qtype))
    return out


def _trim(text: str, start: int, qtype: str) -> list[tuple[str, int]]:
    """Drop capitalised sentence openers ("The", "But") and split runs at "of"/"and"."""
    if qtype in ("number", "money", "date"):
        return [(text, start)] if text else []
    words = text.removesuffix("'s").removesuffix("’s").split()
    lead = W.LEAD | W.TITLES if qtype == "person" else W.LEAD
    # "The", "Chief", or an owner's name ("Yahoo's Yonca Brunini") before the name itself
    while len(words) > 1 and (words[0] in lead or words[0].endswith(("'s", "’s"))):
        start += len(words[0]) + 1
        words = words[1:]
    if not words or words[0] in W.LEAD:
        return []
    text = " ".join(words)
    parts = [(text, start)]
    for sep in (" of ", " and ", " & "):
        if sep in text:
            head, _, tail = text.partition(sep)
            parts += [(head, start), (tail, start + len(head) + len(sep))]
    return parts


def _best_span(
    sent: str,
    qtype: str,
    q_words: set[str],
    q_terms: dict[str, str],
    q_nouns: frozenset[str] | set[str] = frozenset(),
) -> tuple[str, float]:
    """The best candidate span of the sentence and its score (0 when there is none)."""
    toks = [(m.start(), _stem(m.group(0).lower())) for m in re.finditer(r"[\w'’]+", sent)]
    anchors = [pos for pos, s in toks if s in q_terms]
    best, best_score = "", 0.0
    for text, start in _candidates(sent, qtype):
        words = text.split()
        if qtype in ("person", "place", "organisation") and DATE.fullmatch(text):
            continue  # "Tuesday", "March" are not names
        while len(words) > 1 and words[0].lower() in q_words | W.CONNECTORS:
            start += len(words[0]) + 1  # "Ann Cole of Mellon Bank" asked about Ann Cole
            words = words[1:]
        if qtype == "person":
            while len(words) > 1 and words[0] in W.TITLES:  # "Carib Chief Charles Williams"
                start += len(words[0]) + 1
                words = words[1:]
        text = " ".join(words)
        # "Austria" for "which Austrian village": the question's own word in another form
        inside = sum(_bare(w.lower()) in q_words or _stem(w.lower()) in q_terms for w in words)
        if inside == len(words):
            continue  # the question's own words are not its answer
        if qtype in ("number",) and re.fullmatch(r"(?:19|20)\d\d", text) and "year" not in q_words:
            continue
        if qtype == "number" and _in_date(sent, start, len(text)):
            continue  # the "1" of "1 July" is a day, not a count
        score = 1.0 - 0.6 * inside / len(words)
        if anchors:
            dist = min(abs(start - a) for a in anchors)
            score += 0.5 / (1.0 + dist / 40.0)
        score += _type_bonus(sent, text, start, qtype) + _context_bonus(
            sent, text, start, qtype, q_words, q_nouns
        )
        if qtype == "number" and ("%" in text or "per cent" in text):
            # a share answers "what percentage", never "how many"
            score += 0.2 if q_words & {"percentage", "rate", "far", "share", "much"} else -0.4
        if score > best_score:
            best, best_score = text, score
    return best, best_score


def _in_date(sent: str, start: int, length: int) -> bool:
    """Whether sent[start:start+length] lies inside a longer date ("1 July", "March 2005")."""
    return any(
        m.start() <= start and start + length <= m.end() and m.end() - m.start() > length
        for m in DATE.finditer(sent)
    )


def _context_bonus(
    sent: str, text: str, start: int, qtype: str, q_words: set[str], q_nouns: set[str] | frozenset
) -> float:
    """General cues next to a span: the question's type noun right before it ("gaming company
    Electronic Arts" for "which games company"), an age phrase for "how old", a converted
    amount in brackets after another amount ("$305m (£162m)": the first is the reported one)."""
    before = sent[max(0, start - 30) : start]
    prev = [_stem(w.lower()) for w in re.findall(r"[\w'’-]+", before)[-2:]]
    bonus = 0.4 if q_nouns and set(prev) & q_nouns else 0.0
    if qtype == "number" and "old" in q_words:
        after = sent[start + len(text) : start + len(text) + 12]
        bonus += 0.6 * bool(
            re.search(r"(?:aged|age of)\s*$", before) or re.match(r"-year-old", after)
        )
    if qtype in ("person", "organisation") and re.search(r"\b(?:in|near)\s+$", before):
        bonus -= 0.3  # "investors in London": a place, not the firm or person asked for
    if qtype == "money" and re.search(r"\d[\w.]*\s*\($", before):
        bonus -= 0.5
    return bonus


def _type_bonus(sent: str, text: str, start: int, qtype: str) -> float:
    words = text.split()
    before = sent[max(0, start - 25) : start].lower()
    after = sent[start + len(text) : start + len(text) + 12].lower()
    # Listed places and given names stand in for an entity tagger (answer_gazetteer.py).
    place, named = is_place(text), starts_with_given_name(text)
    is_org = not place and (words[-1] in W.ORG_WORDS or bool(re.fullmatch(r"[A-Z]{2,6}", text)))
    if qtype == "organisation":
        return 0.4 * is_org - PLACE_PENALTY * place - NAME_PENALTY * named
    if qtype == "person":
        bonus = 0.3 if 2 <= len(words) <= 3 else -0.2
        bonus += 0.3 * bool(re.search(r"\bsaid\b|\bsays\b|\bby\b", before + " " + after))
        return bonus - 0.5 * is_org + NAME_BONUS * named - PLACE_PENALTY * place
    if qtype == "place":
        bonus = 0.3 * bool(re.search(r"\b(?:in|at|to|from|near)\s+(?:the\s+)?$", before))
        bonus += PLACE_BONUS * place - NAME_PENALTY * named
        return bonus - 0.3 * is_org + (0.1 if len(words) <= 2 else 0.0)
    money = bool(MONEY.fullmatch(text))
    if qtype == "number":
        return -0.2 * money
    if qtype == "money":
        return 0.4 * money
    if qtype == "date":
        return 0.3 * bool(re.search(MONTHS, text)) + 0.1 * bool(re.search(r"\d", text))
    return 0.0
