"""The analysis arithmetic on scraped Prometheus text, as PromQL would do it.

A `Snapshot` is one scrape parsed by `prometheus_client.parser`; subtracting two gives the
increase over a window (what `rate(...[w]) * w` gives in PromQL). On top of it:
`histogram_quantile` (Prometheus' own interpolation, bucket for bucket), the success rate
of the prediction routes, and the PSI of predicted classes (the monitoring milestone's PSI).
The parity check evaluates the same numbers with promtool and compares. Over `minimal.py` it
adds: parsing scraped text, label filters, NaN for empty windows, unsorted and non-monotonic
buckets (Prometheus' ensureMonotonic), q outside [0, 1], a first bound <= 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from prometheus_client.parser import text_string_to_metric_families

from phase5_mlops.monitoring.stattests import psi

Labels = frozenset[tuple[str, str]]


@dataclass
class Snapshot:
    """Sample values of one scrape, keyed by sample name and label set."""

    samples: dict[tuple[str, Labels], float] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Snapshot:
        """Parse Prometheus text exposition format."""
        out: dict[tuple[str, Labels], float] = {}
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                out[(s.name, frozenset(s.labels.items()))] = float(s.value)
        return cls(out)

    def __sub__(self, before: Snapshot) -> Snapshot:
        """The increase since `before` (series absent before count from zero)."""
        return Snapshot({k: v - before.samples.get(k, 0.0) for k, v in self.samples.items()})

    def select(self, name: str, where: Callable[[dict[str, str]], bool] = lambda _: True):
        """(labels, value) pairs of one sample name whose labels satisfy `where`."""
        for (sample, labels), value in self.samples.items():
            if sample == name and where(dict(labels)):
                yield dict(labels), value


def is_prediction_route(labels: dict[str, str]) -> bool:
    """The PromQL matcher route=~"/predict.*" (anchored, as PromQL anchors regexes)."""
    return labels.get("route", "").startswith("/predict")


def success_rate(delta: Snapshot, name: str = "http_requests_total", where=is_prediction_route):
    """(share of non-5xx, request count) over a window; NaN share when there were none."""
    total = ok = 0.0
    for labels, value in delta.select(name, where):
        total += value
        ok += value if not labels.get("status", "").startswith("5") else 0.0
    return (ok / total if total else math.nan), round(total)


def quantile_from_histogram(
    q: float, delta: Snapshot, name: str, where=is_prediction_route
) -> float:
    """histogram_quantile(q, sum by (le) (increase of `name`_bucket)) over the window."""
    by_le: dict[float, float] = {}
    for labels, value in delta.select(name + "_bucket", where):
        le = float(labels["le"])
        by_le[le] = by_le.get(le, 0.0) + value
    return histogram_quantile(q, sorted(by_le.items()))


def histogram_quantile(q: float, buckets: list[tuple[float, float]]) -> float:
    """Prometheus' bucketQuantile: linear interpolation inside the bucket holding rank q*n.

    `buckets` are (upper bound, cumulative count); the last must be +Inf. A rank in the
    +Inf bucket returns the largest finite bound.
        >>> histogram_quantile(0.5, [(1.0, 2.0), (2.0, 4.0), (math.inf, 4.0)])
        1.0
    """
    if math.isnan(q):
        return math.nan
    if q < 0 or q > 1:
        return -math.inf if q < 0 else math.inf
    buckets = sorted(buckets)
    if not buckets or not math.isinf(buckets[-1][0]):
        return math.nan
    bounds = [b for b, _ in buckets]
    counts = list(np.maximum.accumulate([c for _, c in buckets]))  # ensureMonotonic
    if len(buckets) < 2 or counts[-1] == 0:
        return math.nan
    rank = q * counts[-1]
    b = next((i for i in range(len(buckets) - 1) if counts[i] >= rank), len(buckets) - 1)
    if b == len(buckets) - 1:
        return bounds[-2]
    if b == 0 and bounds[0] <= 0:
        return bounds[0]
    start, end, count = 0.0, bounds[b], counts[b]
    if b > 0:
        start = bounds[b - 1]
        count -= counts[b - 1]
        rank -= counts[b - 1]
    return float(start + (end - start) * (rank / count))


def class_counts(delta: Snapshot, name: str = "tabular_predictions_total") -> dict[str, float]:
    """Predictions by predicted class over the window."""
    out: dict[str, float] = {}
    for labels, value in delta.select(name):
        out[labels["label"]] = out.get(labels["label"], 0.0) + value
    return out


def prediction_psi(canary: dict[str, float], stable: dict[str, float]) -> float:
    """PSI between two predicted-class count tables (NaN when either side is empty)."""
    if sum(canary.values()) <= 0 or sum(stable.values()) <= 0:
        return math.nan
    # The monitoring milestone's PSI takes samples; counters hold whole numbers of them.
    as_samples = lambda counts: np.repeat(  # noqa: E731
        np.array(list(counts), dtype=object), np.round(list(counts.values())).astype(int)
    )
    return psi(as_samples(stable), as_samples(canary), categorical=True).statistic
