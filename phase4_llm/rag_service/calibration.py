"""The "not found" threshold: fitted on the evidence scores of the project's own questions.

    python -m phase4_llm.rag_service.calibration artifacts/rag_service/eval_report.json

reads the extractive rows of an evaluation report (each carries the pipeline's `confidence`),
fits the threshold on the natural split's dev part only (the most unanswerable questions
declined at a false-decline budget, `MAX_FALSE_DECLINE`) and prints the decline
precision/recall curve of each part, and the dev-fitted threshold's figures on the held-out
part (the honest ones).
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


# The false-decline budget the threshold is fitted to on the dev part: the goal's 5 % less a
# margin, because the held-out part declined 1.5-3.5 points more answerable questions than dev
# at every threshold of the earlier curves (README, Answering).
MAX_FALSE_DECLINE = 0.03


def fit_threshold(
    scores: list[float], answerable: list[bool], max_false_decline: float | None = None
) -> float:
    """The decline threshold. With `max_false_decline`: the highest threshold (most
    unanswerable questions declined) that turns away at most that share of answerable ones.
    Without: the one maximising unanswerable-declined minus answerable-declined (Youden's J).
    Ties go to the lower threshold (fewer answerable questions turned away)."""
    if len(scores) != len(answerable) or not scores:
        raise ValueError("need one answerable flag per score, at least one score")
    cuts = sorted(set(scores))
    # Midpoints between neighbouring scores, plus one below all (decline nothing).
    candidates = [cuts[0] - 1e-6] + [(a + b) / 2 for a, b in itertools.pairwise(cuts)]
    candidates.append(cuts[-1] + 1e-6)
    best, best_j = candidates[0], -2.0
    for t in candidates:
        st = decline_stats(scores, answerable, t)
        if max_false_decline is None:
            j = st["recall"] - st["false_decline_rate"]
        elif st["false_decline_rate"] <= max_false_decline + 1e-12:
            j = st["recall"]
        else:
            continue
        if j > best_j + 1e-12:
            best, best_j = t, j
    return best


def curve(scores: list[float], answerable: list[bool], steps: int = 12) -> list[dict]:
    """Decline precision/recall and false-decline rate at evenly spaced thresholds."""
    lo, hi = min(scores), max(scores)
    return [
        decline_stats(scores, answerable, lo + (hi - lo) * i / (steps - 1)) for i in range(steps)
    ]


def from_report(
    path: Path, generator: str = "extractive", part: str | None = None
) -> tuple[list[float], list[bool]]:
    """Evidence scores and answerable flags of a report's natural-split rows (of one part:
    "dev" or "heldout", or all)."""
    split = json.loads(path.read_text())["splits"]["natural"]
    parts = split.get("parts", {})
    rows = [r for r in split["rows"][generator] if part is None or parts.get(r["qid"]) == part]
    return [r["confidence"]["evidence"] for r in rows], [r["answerable"] for r in rows]


def _print_curve(scores: list[float], answerable: list[bool], mark: float) -> None:
    print("| threshold | decline precision | decline recall | false decline |")
    print("|---|---|---|---|")
    points = [*curve(scores, answerable), decline_stats(scores, answerable, mark)]
    for st in sorted(points, key=lambda p: p["threshold"]):
        used = " (fitted on dev)" if st["threshold"] == mark else ""
        print(
            f"| {st['threshold']:.3f}{used} | {st['precision']:.3f} | {st['recall']:.3f} "
            f"| {st['false_decline_rate']:.3f} |"
        )


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    dev = from_report(Path(args[0]), part="dev")
    held = from_report(Path(args[0]), part="heldout")
    t = fit_threshold(*dev, max_false_decline=MAX_FALSE_DECLINE)
    for name, (scores, answerable) in (("dev", dev), ("held-out", held)):
        print(f"\n{name} part ({len(scores)} questions):\n")
        _print_curve(scores, answerable, t)
    print(f"\nfitted on dev: {t:.4f}; held-out at it: {decline_stats(*held, t)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
