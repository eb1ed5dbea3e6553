"""One canary step judged: the numbers it was judged on and the verdict, with reasons.

The gates are the AnalysisTemplate's, on the same service metrics (success rate and p99 of
the prediction routes from the canary's own `/metrics`, PSI of its predicted classes
against the stable's). The router adds what only a proxy sees: a request that never reached
the service (connection refused, crash) is a failure there, so the success gate takes the
lower of the two rates. The router's p99 is reported, not gated: on a shared machine it
also measures the load generator's own scheduling delays.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from phase5_mlops.deploy.policy import RolloutPolicy
from phase5_mlops.deploy.promtext import (
    Snapshot,
    class_counts,
    prediction_psi,
    quantile_from_histogram,
    success_rate,
)


@dataclass
class StepAnalysis:
    """The measurements of one step at one weight, and its verdict."""

    step: int
    weight: int
    canary_requests: int
    router_success_rate: float
    service_success_rate: float
    service_p99_s: float
    router_p99_s: float
    psi: float
    verdict: str = "pass"  # "pass", "fail" or "inconclusive"
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def analyse_step(
    step: int,
    weight: int,
    policy: RolloutPolicy,
    router_delta: Snapshot,
    canary_delta: Snapshot,
    stable_classes: dict[str, float],
) -> StepAnalysis:
    """Judge one step from the router's and the canary's metric increases over the step."""
    is_green = lambda labels: labels.get("upstream") == "green"  # noqa: E731
    router_rate, requests = success_rate(
        router_delta, "router_upstream_requests_total", where=is_green
    )
    service_rate, _ = success_rate(canary_delta)
    result = StepAnalysis(
        step=step,
        weight=weight,
        canary_requests=requests,
        router_success_rate=router_rate,
        service_success_rate=service_rate,
        service_p99_s=quantile_from_histogram(0.99, canary_delta, "http_request_duration_seconds"),
        router_p99_s=quantile_from_histogram(
            0.99, router_delta, "router_upstream_request_duration_seconds", where=is_green
        ),
        psi=prediction_psi(class_counts(canary_delta), stable_classes),
    )
    if requests < policy.min_requests:
        result.verdict = "inconclusive"
        result.reasons.append(f"only {requests} canary requests (< {policy.min_requests})")
        return result
    worst_rate = min(router_rate, _nan_to(service_rate, 0.0))
    if worst_rate < policy.success_rate_min:
        result.reasons.append(f"success rate {worst_rate:.4f} < {policy.success_rate_min}")
    if _nan_to(result.service_p99_s, math.inf) > policy.p99_latency_max_s:
        result.reasons.append(f"p99 {result.service_p99_s:.3f} s > {policy.p99_latency_max_s} s")
    if _nan_to(result.psi, math.inf) > policy.psi_max:
        result.reasons.append(f"prediction PSI {result.psi:.3f} > {policy.psi_max}")
    if result.reasons:
        result.verdict = "fail"
    return result


def _nan_to(value: float, default: float) -> float:
    return default if math.isnan(value) else value
