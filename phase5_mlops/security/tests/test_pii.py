"""PII detection: checksums, redaction, and the measured precision and recall."""

import pytest

from phase5_mlops.security.evaluation import evaluate, load_labelled
from phase5_mlops.security.parity import MIN_PRECISION, MIN_RECALL
from phase5_mlops.security.pii import find_pii, iban_valid, luhn_valid, redact


@pytest.mark.parametrize(
    "number,ok",
    [
        ("4111 1111 1111 1111", True),
        ("378282246310005", True),
        ("4111 1111 1111 1112", False),
        ("1234", False),
        ("0000 0000 0000 0000", True),
    ],
)
def test_luhn(number, ok):
    assert luhn_valid(number) is ok


@pytest.mark.parametrize(
    "iban,ok",
    [
        ("GB82 WEST 1234 5698 7654 32", True),
        ("DE89370400440532013000", True),
        ("DE89370400440532013001", False),
        ("XX89370400440532013000", False),
        ("GB82WEST123456987654", False),
    ],
)
def test_iban_mod97(iban, ok):
    assert iban_valid(iban) is ok


def test_redaction_replaces_each_kind_and_keeps_the_rest():
    text = "Mail a@b.io, card 4111-1111-1111-1111, ip 10.0.0.1, tel +1 415 555 2671."
    assert redact(text) == "Mail [EMAIL], card [CARD], ip [IP], tel [PHONE]."


def test_hard_negatives_are_left_alone():
    for text in (
        "Release 1.2.3.400 on 2024-05-01",
        "order 1234 5678 9012 3456",
        "999.1.1.1 is not an address",
        "Python 3.11.7",
    ):
        assert find_pii(text) == [], text


def test_labelled_set_scores_meet_the_documented_minimums():
    rows = load_labelled()
    assert len(rows) >= 50 and sum(len(r["pii"]) for r in rows) >= 40
    total, per_kind = evaluate(rows)
    assert total.precision >= MIN_PRECISION and total.recall >= MIN_RECALL, total
    assert set(per_kind) == {"CARD", "EMAIL", "IBAN", "IP", "PHONE"}


def test_labels_that_do_not_occur_in_their_text_are_refused(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hello", "pii": [{"kind": "EMAIL", "value": "x@y.z"}]}\n')
    with pytest.raises(ValueError, match="not in"):
        load_labelled(bad)
