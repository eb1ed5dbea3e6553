"""What the clients of one load run saw: answers by status, latencies, and streamed tokens.

One record for every load generator of the project (the tabular API's async clients, the
deploy rollout's client threads, the LLM server's streaming benchmark): each fills the fields
it measures and reads the figures it reports.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from dataclasses import dataclass, field

import numpy as np


@dataclass
class LoadResult:
    """Raw outcome of one load run; the figures are computed from it on demand."""

    seconds: float = 0.0
    concurrency: int = 1
    statuses: Counter[int] = field(default_factory=Counter)
    upstreams: Counter[str] = field(default_factory=Counter)  # by the answer's x-upstream
    transport_errors: int = 0
    latencies_s: list[float] = field(default_factory=list)
    # Streamed answers only: when each request arrived, when each token came, which tokens.
    arrivals: list[float] = field(default_factory=list)
    token_times: list[list[float]] = field(default_factory=list)
    outputs: list[list[int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Requests sent: every answer plus every transport error."""
        return sum(self.statuses.values()) + self.transport_errors

    @property
    def errors(self) -> int:
        """Requests that did not get a 200: other statuses and transport errors."""
        return self.total - self.statuses.get(200, 0)

    @property
    def failed(self) -> int:
        """Requests a client would count as failed: 5xx answers and transport errors."""
        return self.transport_errors + sum(n for s, n in self.statuses.items() if s >= 500)

    @property
    def rps(self) -> float:
        """Requests per second over the whole run."""
        return self.total / self.seconds if self.seconds > 0 else 0.0

    def latency_ms(self, percentile: float) -> float:
        """A percentile of the request latencies in milliseconds (NaN when none)."""
        if not self.latencies_s:
            return float("nan")
        return float(np.percentile(np.array(self.latencies_s) * 1e3, percentile))

    @property
    def p50_ms(self) -> float:
        return self.latency_ms(50)

    @property
    def p95_ms(self) -> float:
        return self.latency_ms(95)

    @property
    def p99_ms(self) -> float:
        return self.latency_ms(99)

    @property
    def output_tokens(self) -> int:
        """Tokens streamed over all requests."""
        return sum(len(t) for t in self.token_times)

    def token_summary(self) -> dict[str, float]:
        """vLLM's serving metrics: throughputs, and mean/median/p99 of TTFT, TPOT, ITL (ms).

        TTFT is arrival to first token (queueing included), TPOT per request
        (last - first) / (tokens - 1), ITL every gap between consecutive tokens.
        """
        ttft = [t[0] - a for a, t in zip(self.arrivals, self.token_times, strict=True) if t]
        tpot = [(t[-1] - t[0]) / (len(t) - 1) for t in self.token_times if len(t) > 1]
        itl = [b - a for t in self.token_times for a, b in itertools.pairwise(t)]
        out: dict[str, float] = {
            "req_per_s": len(self.arrivals) / self.seconds,
            "out_tok_per_s": self.output_tokens / self.seconds,
        }
        for name, values in (("ttft", ttft), ("tpot", tpot), ("itl", itl)):
            ms = [v * 1e3 for v in values] or [0.0]
            out[f"{name}_mean_ms"] = statistics.fmean(ms)
            out[f"{name}_median_ms"] = statistics.median(ms)
            out[f"{name}_p99_ms"] = float(np.percentile(ms, 99))
        return out
