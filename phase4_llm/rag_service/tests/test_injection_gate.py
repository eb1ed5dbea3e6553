"""The injection screen's literal gates skip patterns, never matches.

The gated screen (the shipped one) is compared with the same screen with every gate open
(every pattern run on every text) on the labelled set and on BBC articles; the gate of every
pattern is checked against strings generated from the pattern itself; and the case-folding
shortcut is checked against every Unicode code point for the characters the gates spell.
"""

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phase4_llm.common import injection
from phase4_llm.common.regex_gate import (
    CASE_EXCEPTIONS,
    gate_allows,
    gate_literals,
    literal_gate,
)
from phase4_llm.common.semantic_screen import load_labelled
from phase4_llm.rag_service.corpus import bbc_documents

FLAGS = re.IGNORECASE | re.MULTILINE


def _both(texts, monkeypatch):  # type: ignore[no-untyped-def]
    """Matches and stripped texts of the gated screen, then of the ungated one."""
    runs = []
    for gates in (injection._GATES, [None] * len(injection._GATES)):
        monkeypatch.setattr(injection, "_GATES", gates)
        runs.append(
            (
                [injection.injection_matches(t) for t in texts],
                [injection.strip_injections(t) for t in texts],
            )
        )
    return runs


def test_gated_screen_flags_exactly_what_the_full_one_flags_on_the_labelled_set(monkeypatch):
    texts = [e.text for e in load_labelled()]
    (gated, gated_strip), (full, full_strip) = _both(texts, monkeypatch)
    assert gated == full and gated_strip == full_strip
    assert sum(bool(m) for m in full) > 100  # patterns alone: 148 of the 205 hostile texts


def test_gated_screen_equals_the_full_one_on_bbc_articles_clean_and_poisoned(monkeypatch):
    docs = bbc_documents()[::10]  # ~210 articles from every category
    hostile = [e.text for e in load_labelled() if e.label == "hostile"]
    # Poisoned copies: a hostile text placed between two sentences in the middle of an article.
    poisoned = []
    for doc, attack in zip(docs, hostile, strict=False):
        cut = doc.text.find(". ", len(doc.text) // 2) + 2
        poisoned.append(doc.text[:cut] + attack + " " + doc.text[cut:])
    clean = [d.text for d in docs]
    (gated, gated_strip), (full, full_strip) = _both(clean + poisoned, monkeypatch)
    assert gated == full and gated_strip == full_strip
    assert not any(full[: len(clean)])  # no pattern meets these news articles
    assert sum(flagged for _, flagged in full_strip[len(clean) :]) > 100


def test_gate_of_a_small_pattern():
    gate = literal_gate(r"\b(ignore|skip)\s+(all\s+)?(the )?rules?\b.{0,9}[:;]", FLAGS)
    assert gate_literals(gate) == {"ignore", "skip", "rule", ":", ";"}
    assert gate_allows(gate, "please skip the rule: now")
    assert not gate_allows(gate, "skip the rule now")  # no ":" or ";"
    assert not gate_allows(gate, "ignore all of the guidance:")  # no "rule"
    assert literal_gate(r"\w+|foo", FLAGS) is None  # a branch without literals gates nothing


@pytest.mark.parametrize("index", range(len(injection.INJECTION_PATTERNS)))
def test_every_string_a_pattern_matches_passes_its_gate(index):
    pattern = re.compile(injection.INJECTION_PATTERNS[index], FLAGS)
    gate = literal_gate(injection.INJECTION_PATTERNS[index], FLAGS)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        if pattern.search(text) and not (set(text) & CASE_EXCEPTIONS):
            assert gate_allows(gate, text.lower()), (text, gate)

    check()


@pytest.mark.slow
def test_lower_case_stands_in_for_ignorecase_on_every_code_point():
    # Every character `re` matches case-insensitively to a gate character must lower-case to
    # it, or be one of the listed exceptions (texts holding those skip the gates).
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    chars = {c for g in injection._GATES for lit in gate_literals(g) for c in lit}
    for char in chars:
        for m in re.finditer(re.escape(char), every, re.IGNORECASE):
            other = m.group(0)
            assert other.lower() == char or other in CASE_EXCEPTIONS, (char, hex(ord(other)))
