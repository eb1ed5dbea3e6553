"""Post-processing of an evaluation's rows: the decline threshold fitted on the fit parts and
applied to every row, extractive's figures on a capped generator's sample, per-part
summaries, and rounding for the report."""

from __future__ import annotations

from typing import Any

from phase4_llm.rag_service import eval_metrics as E
from phase4_llm.rag_service.calibration import FIT_PARTS, MAX_FALSE_DECLINE, fit_threshold
from phase4_llm.rag_service.pipeline import MIN_EVIDENCE

BASELINE = "tfidf_baseline"


def fit_evidence_threshold(
    rows: list[dict],
    parts: dict[str, str],
    fit_parts: tuple[str, ...] = FIT_PARTS,
    shipped: float = MIN_EVIDENCE,
) -> float:
    """The evidence threshold fitted on the rows of `fit_parts` at the false-decline budget
    (`shipped` when they hold no unanswerable question)."""
    fit = [r for r in rows if parts.get(r["qid"]) in fit_parts]
    if not fit or all(r["answerable"] for r in fit):
        return shipped
    scores = [r["confidence"]["evidence"] for r in fit]
    return fit_threshold(scores, [r["answerable"] for r in fit], MAX_FALSE_DECLINE)


def decline_below(rows: list[dict], threshold: float) -> None:
    """Turn rows whose evidence is below `threshold` into declines (every score 0)."""
    for r in rows:
        if r["confidence"]["evidence"] < threshold and r["found"]:
            r["found"] = False
            r.update(em=0.0, f1=0.0, contains=0.0, citation_precision=0.0, support=0.0)
            r.update(groundedness=0.0, short_answer="")


def compare_on_samples(report: dict) -> None:
    """Extractive's figures on exactly the questions a capped generator was asked."""
    for split in report["splits"].values():
        for name, rows in list(split["rows"].items()):
            if name in ("extractive", BASELINE) or "extractive" not in split["rows"]:
                continue
            if len(rows) < split["questions"]:
                asked = {r["qid"] for r in rows}
                same = [r for r in split["rows"]["extractive"] if r["qid"] in asked]
                split["answers"][f"extractive (same {len(same)})"] = E.summarise(same)


def summarise_parts(report: dict) -> None:
    """Answer metrics of each generator on the dev and held-out parts of a split."""
    for split in report["splits"].values():
        parts = split.get("parts") or {}
        split["by_part"] = {
            part: {
                name: E.summarise(sub)
                for name, rows in split["rows"].items()
                if (sub := [r for r in rows if parts.get(r["qid"]) == part])
            }
            for part in sorted(set(parts.values()))
        }


def round_floats(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: round_floats(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [round_floats(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, 4)
    return obj
