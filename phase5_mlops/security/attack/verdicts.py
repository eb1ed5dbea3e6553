"""The suite's verdicts as pure functions over what the probes observed (no servers needed).

Each function turns raw observations (status codes, metric sizes, document ids) into a
`Verdict`: passed or not, the figures behind it, and the failure kind that fails the run.
Failure kinds that make `python -m phase5_mlops.security.attack` exit non-zero are `FATAL`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

# A failure of any of these kinds fails the run (exit 1); other findings are reported only.
FATAL = (
    "5xx",
    "metric_growth",
    "bypass",
    "lost_write",
    "torn_write",
    "inconsistent_store",
    "poisoned_batch",
    "stall",
    "crash",
    "suite_error",
)


@dataclass
class Verdict:
    """One probe's outcome: `kind` is the failure kind when `passed` is False."""

    probe: str
    passed: bool
    kind: str = ""
    detail: str = ""
    figures: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "probe": self.probe,
            "passed": self.passed,
            "kind": self.kind,
            "detail": self.detail,
            "figures": self.figures,
        }


def count_5xx(statuses: Iterable[int]) -> int:
    """How many status codes are server errors (500-599).

    >>> count_5xx([200, 404, 500, 502, 429])
    2
    """
    return sum(1 for s in statuses if 500 <= s <= 599)


def server_error_verdict(probe: str, statuses: Sequence[int]) -> Verdict:
    """Fails with kind `5xx` when any response was a server error."""
    n = count_5xx(statuses)
    return Verdict(
        probe,
        n == 0,
        "5xx" if n else "",
        f"{n} of {len(statuses)} responses were 5xx" if n else "",
        {"requests": len(statuses), "5xx": n},
    )


def bypass_verdict(
    probe: str,
    statuses: Sequence[int],
    *,
    burst: float,
    rate_per_s: float,
    elapsed_s: float,
    slack: int = 3,
) -> Verdict:
    """Did more requests get past the limiter than one bucket allows?

    A single token bucket admits at most `burst + rate * elapsed` requests in `elapsed_s`;
    every response other than 429 passed the limiter (a 401 too: an unlimited stream of key
    guesses is the bypass). More than that bound plus `slack` is a bypass.
    """
    passed_limiter = sum(1 for s in statuses if s != 429)
    allowed = int(burst + rate_per_s * elapsed_s) + slack
    ok = passed_limiter <= allowed
    return Verdict(
        probe,
        ok,
        "" if ok else "bypass",
        ""
        if ok
        else f"{passed_limiter} of {len(statuses)} requests passed where one bucket "
        f"admits {allowed}",
        {
            "requests": len(statuses),
            "passed_limiter": passed_limiter,
            "allowed": allowed,
            "429": len(statuses) - passed_limiter,
        },
    )


def limiter_active_verdict(probe: str, statuses: Sequence[int]) -> Verdict:
    """The control of a bypass probe: one repeated client must meet 429, or the probe is void."""
    limited = sum(1 for s in statuses if s == 429)
    ok = limited > 0
    return Verdict(
        probe,
        ok,
        "" if ok else "suite_error",
        "" if ok else "the limiter never answered 429 to one repeated client: probe void",
        {"requests": len(statuses), "429": limited},
    )


def cardinality_verdict(
    probe: str,
    sizes: Sequence[int],
    series: Sequence[int],
    *,
    max_series_growth: int = 8,
    max_bytes_growth: int = 8192,
) -> Verdict:
    """`sizes`/`series` are /metrics bytes and sample counts at baseline and after each round.

    Every round sends the same number of requests with never-seen methods and paths, so
    bounded labels grow only in the first round (the collapsed values appear once). Growth in
    any later round beyond the small allowances (sample values gaining digits) is unbounded.
    """
    if len(sizes) < 3 or len(series) != len(sizes):
        raise ValueError("need a baseline and at least two rounds")
    series_growth = max(b - a for a, b in pairwise(series[1:]))
    bytes_growth = max(b - a for a, b in pairwise(sizes[1:]))
    ok = series_growth <= max_series_growth and bytes_growth <= max_bytes_growth
    return Verdict(
        probe,
        ok,
        "" if ok else "metric_growth",
        ""
        if ok
        else f"a later round of made-up methods/paths added {series_growth} series and "
        f"{bytes_growth} bytes to /metrics",
        {
            "later_round_series_growth": series_growth,
            "later_round_bytes_growth": bytes_growth,
            "metrics_bytes": list(sizes),
            "series": list(series),
        },
    )


def write_verdict(
    probe: str,
    acked: Mapping[str, Sequence[str]],
    unacked: Mapping[str, Sequence[str]],
    present: Iterable[str],
    consistency_errors: Sequence[str],
) -> list[Verdict]:
    """After a kill -9: acknowledged batches fully present, unacknowledged ones all or none.

    `acked`/`unacked` map a batch id to its document ids; `present` is what the restarted
    service lists; `consistency_errors` is the store's own check.
    """
    have = set(present)
    lost = sorted(d for docs in acked.values() for d in docs if d not in have)
    torn = sorted(b for b, docs in unacked.items() if 0 < sum(d in have for d in docs) < len(docs))
    figures = {"acked_batches": len(acked), "unacked_batches": len(unacked)}
    return [
        Verdict(
            f"{probe}: acknowledged writes survive",
            not lost,
            "lost_write" if lost else "",
            f"{len(lost)} acknowledged documents missing, e.g. {lost[:3]}" if lost else "",
            {**figures, "lost": len(lost)},
        ),
        Verdict(
            f"{probe}: unacknowledged batches are all or nothing",
            not torn,
            "torn_write" if torn else "",
            f"{len(torn)} batches partly committed, e.g. {torn[:3]}" if torn else "",
            {**figures, "torn": len(torn)},
        ),
        Verdict(
            f"{probe}: store consistent",
            not consistency_errors,
            "inconsistent_store" if consistency_errors else "",
            "; ".join(consistency_errors[:3]),
            {"errors": len(consistency_errors)},
        ),
    ]


def poisoning_verdict(
    probe: str, bystanders: Sequence[tuple[int, str]], hostile_status: int
) -> Verdict:
    """One hostile request among concurrent ones: every bystander must finish normally.

    `bystanders` holds (status, finish_reason or error text) of the well-formed requests;
    the hostile one may be refused (4xx) or served, but never a 5xx.
    """
    hurt = [(s, why) for s, why in bystanders if s != 200 or why not in ("stop", "length")]
    ok = not hurt and hostile_status < 500
    detail = ""
    if hurt:
        detail = f"{len(hurt)} of {len(bystanders)} bystanders failed: {hurt[:2]}"
    elif hostile_status >= 500:
        detail = f"the hostile request itself got {hostile_status}"
    return Verdict(
        probe,
        ok,
        "" if ok else ("poisoned_batch" if hurt else "5xx"),
        detail,
        {"bystanders": len(bystanders), "hurt": len(hurt), "hostile_status": hostile_status},
    )


def stall_verdict(
    probe: str,
    health_latencies_s: Sequence[float | None],
    hostile_status: int,
    *,
    limit_s: float,
    hostile_s: float = 0.0,
    benign_s: float = 0.0,
    max_ratio: float = 4.0,
) -> Verdict:
    """While a hostile request runs, `/healthz` must answer within `limit_s`, and the hostile
    request may cost at most `max_ratio` times a benign one of the same size (plus 0.5 s).

    A `None` latency is a health check that got no answer. The cost ratio catches a quadratic
    pattern on inputs too short to freeze the server for long (a 20 KB cap, say).
    """
    answered = [x for x in health_latencies_s if x is not None]
    worst = max(answered) if answered else None
    missed = sum(1 for x in health_latencies_s if x is None or x > limit_s)
    costly = hostile_s > max_ratio * benign_s + 0.5
    ok = missed == 0 and not costly and hostile_status < 500
    kind = "" if ok else ("stall" if missed or costly else "5xx")
    detail = ""
    if missed:
        detail = f"{missed} of {len(health_latencies_s)} /healthz checks took over {limit_s} s"
    elif costly:
        detail = f"hostile input took {hostile_s:.2f} s, a benign one of its size {benign_s:.2f} s"
    elif hostile_status >= 500:
        detail = f"the hostile request got {hostile_status}"
    return Verdict(
        probe,
        ok,
        kind,
        detail,
        {
            "health_checks": len(health_latencies_s),
            "slow_or_missed": missed,
            "worst_health_s": None if worst is None else round(worst, 3),
            "hostile_status": hostile_status,
            "hostile_s": round(hostile_s, 3),
            "benign_s": round(benign_s, 3),
        },
    )


def failures(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """The verdicts that fail the run."""
    return [v for v in verdicts if not v.passed and v.kind in FATAL]
