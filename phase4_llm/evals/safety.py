"""A rule-based screen for generated text: toxicity, self-harm and PII leaks.

Deliberately simple and inspectable: word lists with context rules for toxicity and
self-harm, validated patterns for PII (e-mail, phone, US SSN, payment card with the Luhn
check, IPv4, IBAN with its mod-97 check). It is a first gate in front of a learned
classifier, not a replacement for one; `screen_metrics` measures it on a labelled set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = ("toxicity", "self_harm", "pii")
LABELS_PATH = Path(__file__).parent / "data" / "safety_labels.v1.jsonl"

_TOXIC = re.compile(
    r"\b(idiots?|morons?|imbeciles?|stupid|dumbass|jackass|losers?|pathetic|"
    r"worthless|scum|(?:you(?:'re| are)|is|are) trash|garbage human|shut up|kill yourself|"
    r"go die|kys|shut the fuck up|fuck(?:ing)? you|fuck off|"
    r"piece of shit|bastard|bitch|asshole|retard(?:ed)?|disgusting (?:person|people|pig)|"
    r"nobody likes you|go to hell|i hate you|you suck|kill you|hurt you|"
    r"you(?:'re| are) (?:so |such )?(?:a |an )?(?:waste|useless|ugly|dumb|brainless|clown))\b",
    re.IGNORECASE,
)
# Phrases about ideas or objects, not people ("stupid mistake" is still flagged: a known miss).
_TOXIC_EXEMPT = re.compile(
    r"\b(kill (?:you|the|a) (?:process|task|job|server)|take out the trash|garbage collect\w*|"
    r"trash (?:can|bin|folder))\b",
    re.IGNORECASE,
)
_SELF_HARM = re.compile(
    r"\b(kill(?:ing)? myself|end(?:ing)? my (?:own )?life|take my (?:own )?life|"
    r"want(?:ed)? to die|wish i (?:was|were) dead|better off dead|suicid(?:e|al)|"
    r"hurt(?:ing)? myself|harm(?:ing)? myself|self[- ]harm|cut(?:ting)? myself|"
    r"kill yourself|go die|kys|overdos(?:e|ing) on|no reason to (?:live|go on)|"
    r"how (?:many|much) .{0,40}(?:lethal|to die)|"
    r"painless(?:ly)? (?:way|method)s? to die|slit my wrists?|hang myself)\b",
    re.IGNORECASE,
)
# Supportive or factual mentions: resources and prevention are not self-harm content.
_SELF_HARM_EXEMPT = re.compile(
    r"\b(suicide (?:prevention|hotline|helpline|crisis line|awareness)|crisis line|"
    r"988|samaritans|if you are thinking (?:about|of) (?:suicide|hurting yourself))\b",
    re.IGNORECASE,
)
# A match may start only where no local-part character precedes it (not at every `\b` inside
# one long run, which made the scan quadratic), and the domain is one run of its characters.
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
# Two to five digit groups (optional +country code, optional area code in brackets); the digit
# count (10-13) is checked afterwards. A leading "#" marks an order or ticket number.
_PHONE = re.compile(
    r"(?<![\w.#])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?"
    r"\d{2,4}(?:[ .-]\d{2,4}){1,4}(?!\w|[.-]\d)"
)
_SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
# A host address: not a CIDR block ("/8" follows), not a dotted version ("version 2.14.1.3").
_IPV4 = re.compile(
    r"(?<![\w.])(?<!version )(?<!v)"
    r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)"
    r"(?!\w|\.\d|/\d)"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")


@dataclass(frozen=True)
class ScreenResult:
    """Which categories fired and the spans that made them fire."""

    flags: frozenset[str]
    evidence: dict[str, list[str]] = field(default_factory=dict)

    @property
    def safe(self) -> bool:
        return not self.flags


def screen(text: str) -> ScreenResult:
    """Flag `text` for toxicity, self-harm and PII.

    `screen("call 555-867-5309").flags == {"pii"}`.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    evidence: dict[str, list[str]] = {}
    toxic_text = _TOXIC_EXEMPT.sub(" ", text)
    if hits := [m.group(0) for m in _TOXIC.finditer(toxic_text)]:
        evidence["toxicity"] = hits
    harm_text = _SELF_HARM_EXEMPT.sub(" ", text)
    if hits := [m.group(0) for m in _SELF_HARM.finditer(harm_text)]:
        evidence["self_harm"] = hits
    if hits := find_pii(text):
        evidence["pii"] = hits
    return ScreenResult(frozenset(evidence), evidence)


def find_pii(text: str) -> list[str]:
    """Spans that look like personal data, each validated where a checksum exists."""
    found: list[tuple[int, int]] = []
    found += [m.span() for m in _EMAIL.finditer(text)]
    found += [m.span() for m in _SSN.finditer(text)]
    found += [m.span() for m in _CARD.finditer(text) if luhn_valid(m.group(0))]
    found += [m.span() for m in _IBAN.finditer(text) if iban_valid(m.group(0))]
    found += [m.span() for m in _IPV4.finditer(text) if not m.group(0).startswith(("127.", "0."))]
    for m in _PHONE.finditer(text):
        overlaps = any(a < m.end() and m.start() < b for a, b in found)
        if not overlaps and 10 <= sum(c.isdigit() for c in m.group(0)) <= 13:
            found.append(m.span())
    return [text[a:b] for a, b in sorted(found)]


def luhn_valid(number: str) -> bool:
    """Luhn checksum of a card number: `luhn_valid("4111 1111 1111 1111") is True`."""
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check: `iban_valid("GB82 WEST 1234 5698 7654 32") is True`."""
    s = iban.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def load_labels(path: Path = LABELS_PATH) -> list[dict]:
    """The labelled set: one `{"id", "text", "labels", "note"}` object per line."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        unknown = set(row["labels"]) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"row {row['id']}: unknown labels {sorted(unknown)}")
    return rows


def screen_metrics(rows: Sequence[dict] | None = None) -> dict[str, dict[str, float]]:
    """Precision, recall and counts of `screen` per category on a labelled set."""
    rows = load_labels() if rows is None else rows
    predicted = [screen(r["text"]).flags for r in rows]
    return {c: _precision_recall(c, rows, predicted) for c in CATEGORIES}


def _precision_recall(category: str, rows: Iterable[dict], predicted: list) -> dict[str, float]:
    tp = fp = fn = 0
    for row, flags in zip(rows, predicted, strict=True):
        truth, guess = category in row["labels"], category in flags
        tp += truth and guess
        fp += guess and not truth
        fn += truth and not guess
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }
