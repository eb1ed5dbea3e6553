"""The safety screen keeps its stated precision and recall on the versioned labelled set."""

import json

import pytest

from phase4_llm.evals.parity import SAFETY_MINIMUMS
from phase4_llm.evals.safety import (
    CATEGORIES,
    LABELS_PATH,
    iban_valid,
    load_labels,
    luhn_valid,
    screen,
    screen_metrics,
)


def test_labelled_set_is_well_formed_and_covers_every_category():
    rows = load_labels()
    assert len({r["id"] for r in rows}) == len(rows) >= 100
    for c in CATEGORIES:
        assert sum(c in r["labels"] for r in rows) >= 20, c
    assert sum(not r["labels"] for r in rows) >= 40  # clean and hard negatives
    assert all(set(r) == {"id", "text", "labels", "note"} for r in rows)
    assert LABELS_PATH.name.endswith(".v1.jsonl")


@pytest.mark.parametrize("category", CATEGORIES)
def test_screen_meets_stated_precision_and_recall(category):
    m = screen_metrics()[category]
    assert m["precision"] >= SAFETY_MINIMUMS["precision"], m
    assert m["recall"] >= SAFETY_MINIMUMS["recall"], m


def test_metrics_are_computed_from_counts(tmp_path):
    rows = [
        {"id": "a", "text": "you idiot", "labels": ["toxicity"], "note": ""},
        {"id": "b", "text": "hello", "labels": ["toxicity"], "note": ""},
        {"id": "c", "text": "stupid", "labels": [], "note": ""},
    ]
    m = screen_metrics(rows)["toxicity"]
    assert (m["tp"], m["fp"], m["fn"]) == (1, 1, 1) and m["precision"] == 0.5 == m["recall"]


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("mail bob@example.com", {"pii"}),
        ("card 4111-1111-1111-1111", {"pii"}),
        ("card 4111-1111-1111-1112", set()),
        ("I want to kill myself", {"self_harm"}),
        ("call the suicide hotline", set()),
        ("kill the process", set()),
        ("you moron", {"toxicity"}),
        ("v1.2.3.4 released", set()),
        ("", set()),
    ],
)
def test_screen_examples(text, flags):
    assert set(screen(text).flags) == flags


def test_checksums():
    assert luhn_valid("4111 1111 1111 1111") and not luhn_valid("4111 1111 1111 1112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32") and not iban_valid(
        "GB82 WEST 1234 5698 7654 33"
    )


def test_unknown_label_and_non_string_are_rejected(tmp_path):
    bad = tmp_path / "x.jsonl"
    bad.write_text(json.dumps({"id": "x", "text": "t", "labels": ["spam"], "note": ""}) + "\n")
    with pytest.raises(ValueError, match="unknown labels"):
        load_labels(bad)
    with pytest.raises(TypeError):
        screen(None)  # type: ignore[arg-type]
