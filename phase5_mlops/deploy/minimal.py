"""A canary step judged, the idea only: PromQL's histogram_quantile, the success rate, the
PSI of predicted classes, the verdict, and the smooth weighted split that sends the traffic.

Inputs are plain numbers (counter increases over one step), not scraped text. The full
version (`promtext.py`, `analysis.py`, `router.py`) parses `/metrics`, filters series by
labels, handles NaN and unsorted or non-monotonic buckets, and adds the router's view;
`tests/test_minimal.py` checks these against promtool (Prometheus' own engine) and it.
"""

from __future__ import annotations

import math

EMPTY_SHARE = 0.0001  # a class one side never predicted gets this share, so ln() stays finite


def histogram_quantile(q: float, bounds: list[float], cumulative: list[float]) -> float:
    """Prometheus' histogram_quantile: linear interpolation inside the bucket holding rank q*n.

    `bounds` are the bucket upper bounds (`le`), increasing, the last one +Inf; `cumulative`
    the counts of observations <= each bound. A rank that lands in the +Inf bucket returns the
    largest finite bound; the first bucket starts at 0.
    Hint: find the first b with cumulative[b] >= q * cumulative[-1], then interpolate
    between bounds[b - 1] and bounds[b] by how far the rank goes into that bucket's count.
    """
    rank = q * cumulative[-1]
    b = next(i for i, c in enumerate(cumulative) if c >= rank)
    if b == len(bounds) - 1:  # the +Inf bucket: no upper edge to interpolate to
        return bounds[-2]
    start = bounds[b - 1] if b > 0 else 0.0
    below = cumulative[b - 1] if b > 0 else 0.0
    return start + (bounds[b] - start) * (rank - below) / (cumulative[b] - below)


def success_rate(by_status: dict[str, float]) -> float:
    """Share of requests whose status is not 5xx (requests counted per status code)."""
    total = sum(by_status.values())
    ok = sum(n for status, n in by_status.items() if not status.startswith("5"))
    return ok / total


def class_psi(canary: dict[str, float], stable: dict[str, float]) -> float:
    """PSI between two predicted-class count tables: sum (c - s) * ln(c / s) over classes.

    Shares are counts over each side's total; a class missing on one side has share 0 there,
    and every share is floored at EMPTY_SHARE (PromQL's `clamp_min`).
    Hint: loop over the union of the class names.
    """
    n_c, n_s = sum(canary.values()), sum(stable.values())
    total = 0.0
    for label in set(canary) | set(stable):
        c = max(canary.get(label, 0.0) / n_c, EMPTY_SHARE)
        s = max(stable.get(label, 0.0) / n_s, EMPTY_SHARE)
        total += (c - s) * math.log(c / s)
    return total


def judge_step(
    requests: int,
    success: float,
    p99_s: float,
    psi: float,
    *,
    min_requests: int = 30,
    success_min: float = 0.99,
    p99_max_s: float = 0.5,
    psi_max: float = 0.25,
) -> str:
    """ "inconclusive" below min_requests, else "fail" when any gate is broken, else "pass"."""
    if requests < min_requests:
        return "inconclusive"
    broken = success < success_min or p99_s > p99_max_s or psi > psi_max
    return "fail" if broken else "pass"


def weighted_split(green_percent: int, n: int) -> list[str]:
    """The roles of the next n requests: green for exactly green_percent of every 100.

    Smooth weighted round-robin: each request adds green_percent/100 of credit; when the
    credit reaches 1 the request goes to green and pays 1 back. Green requests are spread
    evenly instead of coming in a burst.
    Hint: keep one float of credit; compare with 1 - 1e-9 so that float sums of 0.1 count.
    """
    credit, roles = 0.0, []
    for _ in range(n):
        credit += green_percent / 100
        if credit >= 1 - 1e-9:
            credit -= 1
            roles.append("green")
        else:
            roles.append("blue")
    return roles
