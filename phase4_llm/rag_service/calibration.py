"""The "not found" threshold: fitted on the evidence scores of the project's own questions.

    python -m phase4_llm.rag_service.calibration artifacts/rag_service/eval_report.json

reads the extractive rows of an evaluation report (each carries the pipeline's `confidence`),
prints the decline precision/recall curve over thresholds and the fitted threshold, with a
two-fold check (fit on even-numbered questions, score the odd ones, and the reverse).
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path


def decline_stats(scores: list[float], answerable: list[bool], threshold: float) -> dict:
    """Declining below `threshold` as a classifier of unanswerable questions."""
    declined = [s < threshold for s in scores]
    tp = sum(d and not a for d, a in zip(declined, answerable, strict=True))
    n_dec, n_unans = sum(declined), answerable.count(False)
    n_ans = len(answerable) - n_unans
    false_dec = sum(d and a for d, a in zip(declined, answerable, strict=True))
    return {
        "threshold": threshold,
        "precision": tp / n_dec if n_dec else 1.0,
        "recall": tp / n_unans if n_unans else 1.0,
        "false_decline_rate": false_dec / n_ans if n_ans else 0.0,
    }


def fit_threshold(scores: list[float], answerable: list[bool]) -> float:
    """The threshold maximising unanswerable-declined minus answerable-declined (Youden's J);
    ties go to the lower threshold (fewer answerable questions turned away)."""
    if len(scores) != len(answerable) or not scores:
        raise ValueError("need one answerable flag per score, at least one score")
    cuts = sorted(set(scores))
    # Midpoints between neighbouring scores, plus one below all (decline nothing).
    candidates = [cuts[0] - 1e-6] + [(a + b) / 2 for a, b in itertools.pairwise(cuts)]
    candidates.append(cuts[-1] + 1e-6)
    best, best_j = candidates[0], -2.0
    for t in candidates:
        st = decline_stats(scores, answerable, t)
        j = st["recall"] - st["false_decline_rate"]
        if j > best_j + 1e-12:
            best, best_j = t, j
    return best


def curve(scores: list[float], answerable: list[bool], steps: int = 12) -> list[dict]:
    """Decline precision/recall and false-decline rate at evenly spaced thresholds."""
    lo, hi = min(scores), max(scores)
    return [
        decline_stats(scores, answerable, lo + (hi - lo) * i / (steps - 1)) for i in range(steps)
    ]


def from_report(path: Path, generator: str = "extractive") -> tuple[list[float], list[bool]]:
    """Evidence scores and answerable flags of a report's natural-split rows."""
    rows = json.loads(path.read_text())["splits"]["natural"]["rows"][generator]
    return [r["confidence"]["evidence"] for r in rows], [r["answerable"] for r in rows]


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    scores, answerable = from_report(Path(args[0]))
    print("| threshold | decline precision | decline recall | false decline |")
    print("|---|---|---|---|")
    for st in curve(scores, answerable):
        print(
            f"| {st['threshold']:.3f} | {st['precision']:.3f} | {st['recall']:.3f} "
            f"| {st['false_decline_rate']:.3f} |"
        )
    t = fit_threshold(scores, answerable)
    print(f"fitted on all: {decline_stats(scores, answerable, t)}")
    for fold in (0, 1):
        fit = [i for i in range(len(scores)) if i % 2 == fold]
        held = [i for i in range(len(scores)) if i % 2 != fold]
        tf = fit_threshold([scores[i] for i in fit], [answerable[i] for i in fit])
        st = decline_stats([scores[i] for i in held], [answerable[i] for i in held], tf)
        print(f"fold {fold}: fitted {tf:.3f}, held-out {st}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
