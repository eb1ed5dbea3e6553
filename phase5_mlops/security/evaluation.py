"""Precision and recall of the PII finder on the labelled set in `data/pii_labelled.jsonl`.

Provenance: every line was written by hand for this project (no real person's data): example
and documentation values (RFC 5737/3849 addresses, card issuers' published test numbers, the
IBAN registry's example IBANs, Ofcom/NANP drama numbers) in realistic sentences, plus hard
negatives (dates, versions, order numbers, a Luhn-invalid 16-digit number, a mod-97-invalid
IBAN, an out-of-range IP). Labels are the exact values, written beside the text, not produced
by the finder. A finding counts as correct only if both its kind and its exact text match.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from phase5_mlops.security.pii import find_pii

DATA = Path(__file__).parent / "data" / "pii_labelled.jsonl"


@dataclass(frozen=True)
class Scores:
    """Entity-level counts and rates."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_negatives)


def load_labelled(path: Path = DATA) -> list[dict]:
    """The labelled examples, checking that each label really occurs in its text."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for row in rows:
        for label in row["pii"]:
            if label["value"] not in row["text"]:
                raise ValueError(f"label {label['value']!r} not in {row['text']!r}")
    return rows


def evaluate(rows: list[dict] | None = None) -> tuple[Scores, dict[str, Scores]]:
    """Overall scores and scores per kind of PII."""
    rows = rows if rows is not None else load_labelled()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for row in rows:
        expected = Counter((p["kind"], p["value"]) for p in row["pii"])
        found = Counter((f.kind, f.text) for f in find_pii(row["text"]))
        for item in expected | found:
            hit = min(expected[item], found[item])
            tp[item[0]] += hit
            fp[item[0]] += found[item] - hit
            fn[item[0]] += expected[item] - hit
    kinds = sorted(set(tp) | set(fp) | set(fn))
    per_kind = {k: Scores(tp[k], fp[k], fn[k]) for k in kinds}
    total = Scores(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return total, per_kind
