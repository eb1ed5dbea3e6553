"""The rollout policy: canary steps and the thresholds that promote or roll back.

One source for both worlds: the local controller reads these numbers, and a test checks
that the Helm chart's values (hence the Argo `AnalysisTemplate`) carry the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass

CANARY_STEPS = (10, 25, 50, 100)  # percent of traffic on the new version
SUCCESS_RATE_MIN = 0.99  # share of non-5xx answers
P99_LATENCY_MAX_S = 0.5  # 99th percentile of request latency, seconds
# PSI of the predicted-class mix, canary vs stable. 0.25 is the usual "significant shift"
# cut-off; the monitoring milestone's 0.1 ("moderate") would flag sampling noise at the few
# hundred predictions a canary step sees.
PSI_MAX = 0.25


@dataclass(frozen=True)
class RolloutPolicy:
    """Steps, thresholds and the sample size a step needs before it is judged."""

    steps: tuple[int, ...] = CANARY_STEPS
    success_rate_min: float = SUCCESS_RATE_MIN
    p99_latency_max_s: float = P99_LATENCY_MAX_S
    psi_max: float = PSI_MAX
    min_requests: int = 30  # canary requests a step waits for (the local "pause")
    step_timeout_s: float = 60.0  # a step without enough traffic by then is inconclusive
    drain_timeout_s: float = 30.0  # wait for in-flight requests before stopping a version

    def __post_init__(self) -> None:
        if not self.steps or list(self.steps) != sorted(set(self.steps)):
            raise ValueError(f"steps must be strictly increasing, got {self.steps}")
        if self.steps[0] <= 0 or self.steps[-1] != 100:
            raise ValueError(f"steps must start above 0 and end at 100, got {self.steps}")
        if not 0 < self.success_rate_min <= 1:
            raise ValueError("success_rate_min must be in (0, 1]")
        if self.p99_latency_max_s <= 0 or self.psi_max <= 0 or self.min_requests < 1:
            raise ValueError("thresholds and min_requests must be positive")
