"""Parity: the local analysis equals Prometheus' PromQL; the manifests pass the schemas.

The three canary queries (promql.py) are evaluated by Prometheus' own engine (promtool) on
seeded synthetic scenarios, and the local controller's arithmetic on the same counters
(promtext.py: counter increases, histogram_quantile, the monitoring milestone's PSI) must
give the same numbers. Counters grow linearly here, so `rate()`'s extrapolation scales
every series alike and cancels in the ratios, shares and quantiles being compared.
"""

from __future__ import annotations

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare
from phase5_mlops.deploy.promql import analysis_queries
from phase5_mlops.deploy.promtext import (
    Snapshot,
    class_counts,
    prediction_psi,
    quantile_from_histogram,
    success_rate,
)
from phase5_mlops.deploy.router import LATENCY_BUCKETS, WeightedSplit

CLASSES = ("Adelie", "Chinstrap", "Gentoo")
MINUTES, WINDOW = 10, 5  # evaluate at 10 m over [5m]


def scenario_series(n: int, seed: int = 0) -> dict[tuple[str, frozenset], list[float]]:
    """Per-minute cumulative counters of `n` seeded canary/stable scenarios."""
    rng = np.random.default_rng(seed)
    series: dict[tuple[str, frozenset], list[float]] = {}

    def add(name: str, per_minute: float, **labels: str) -> None:
        series[(name, frozenset(labels.items()))] = [per_minute * m for m in range(MINUTES + 1)]

    for k in range(n):
        sc = str(k)
        stable = rng.dirichlet(np.ones(len(CLASSES))) * rng.integers(50, 500)
        drift = rng.dirichlet(np.ones(len(CLASSES)) * rng.uniform(0.5, 20))
        canary = (drift if k % 2 else stable / stable.sum()) * rng.integers(20, 200)
        for i, cls in enumerate(CLASSES):
            if k % 5 != 4 or i:  # every fifth scenario: a class the canary never predicts
                add(
                    "tabular_predictions_total",
                    round(canary[i]),
                    service="c",
                    scenario=sc,
                    label=cls,
                )
            add("tabular_predictions_total", round(stable[i]), service="s", scenario=sc, label=cls)
        for route in ("/predict", "/predict/batch"):
            for status in ("200", "422", "500", "503"):
                rate = int(rng.integers(100, 400) if status == "200" else rng.integers(0, 6))
                add(
                    "http_requests_total",
                    rate,
                    service="c",
                    scenario=sc,
                    route=route,
                    status=status,
                )
            latencies = rng.lognormal(np.log(rng.uniform(0.005, 0.8)), 0.6, rng.integers(50, 300))
            for le in (*LATENCY_BUCKETS, float("inf")):
                bound = "+Inf" if le == float("inf") else repr(float(le))
                add(
                    "http_request_duration_seconds_bucket",
                    int((latencies <= le).sum()),
                    service="c",
                    scenario=sc,
                    route=route,
                    le=bound,
                )
    return series


def ours(series: dict[tuple[str, frozenset], list[float]], n: int) -> dict[str, list[float]]:
    """The local analysis of every scenario from the series' increase over the window."""
    at = {
        m: Snapshot({key: v[m] for key, v in series.items()}) for m in (MINUTES - WINDOW, MINUTES)
    }
    delta = at[MINUTES] - at[MINUTES - WINDOW]
    out: dict[str, list[float]] = {"success-rate": [], "latency-p99": [], "prediction-psi": []}
    for k in range(n):
        canary = _selector("c", k)
        route = _selector("c", k, predict_routes=True)
        out["success-rate"].append(success_rate(delta, where=route)[0])
        out["latency-p99"].append(
            quantile_from_histogram(0.99, delta, "http_request_duration_seconds", where=route)
        )
        out["prediction-psi"].append(
            prediction_psi(_classes(delta, canary), _classes(delta, _selector("s", k)))
        )
    return out


def _selector(service: str, scenario: int, predict_routes: bool = False):  # type: ignore[no-untyped-def]
    """The label matcher of one scenario's canary ("c") or stable ("s") series."""

    def match(labels: dict[str, str]) -> bool:
        ok = labels.get("service") == service and labels.get("scenario") == str(scenario)
        return ok and (not predict_routes or labels.get("route", "").startswith("/predict"))

    return match


def _classes(delta: Snapshot, where) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return class_counts(Snapshot({k: v for k, v in delta.samples.items() if where(dict(k[1]))}))


def promql(series: dict[tuple[str, frozenset], list[float]], n: int) -> dict[str, list[float]]:
    """The same numbers from Prometheus' engine (promtool), query by query."""
    from phase5_mlops.deploy.promtool_eval import evaluate

    queries = {}
    for k in range(n):
        qs = analysis_queries(
            f'service="c",scenario="{k}"', f'service="s",scenario="{k}"', f"{WINDOW}m"
        )
        queries.update({(name, k): q for name, q in qs.items()})
    selectors = {
        name + "{" + ",".join(f'{a}="{b}"' for a, b in sorted(labels)) + "}": values
        for (name, labels), values in series.items()
    }
    values = evaluate({f"{n_}#{k}": q for (n_, k), q in queries.items()}, selectors, MINUTES)
    return {
        name: [values[f"{name}#{k}"] for k in range(n)]
        for name in ("success-rate", "latency-p99", "prediction-psi")
    }


def checks() -> list[ParityResult]:
    """Manifests and chart (behaviour), router split (behaviour), analysis = PromQL."""
    from phase5_mlops.deploy.manifests import load_manifests, manifest_problems
    from phase5_mlops.deploy.promtool_eval import promtool_path, promtool_version
    from phase5_mlops.deploy.render import MANIFEST_DIR, render_chart

    docs = load_manifests()
    bad = [p for d in docs for p in manifest_problems(d)]
    results = [
        behaviour(
            "manifests pass Kubernetes models / Argo schema",
            not bad and len(docs) == 7,
            f"{len(docs)} documents; " + ("; ".join(bad) or "no problems"),
        ),
        behaviour(
            "chart renders to the shipped manifests",
            render_chart() == {p.name: p.read_text() for p in MANIFEST_DIR.glob("*.yaml")},
        ),
    ]
    exact = []
    for w in range(101):
        split = WeightedSplit(w)
        exact.append(sum(split.pick() == "green" for _ in range(100)) == w)
    results.append(behaviour("router sends exactly w of every 100 requests to green", all(exact)))
    if promtool_path() is None:
        results.append(behaviour("analysis equals PromQL", False, "promtool not installed"))
        return results
    n = 20
    series = scenario_series(n)
    mine, theirs = ours(series, n), promql(series, n)
    ref = promtool_version()
    # float64 on both sides, summed in different orders: 1e-9 leaves room for reordering only.
    for name in ("success-rate", "latency-p99", "prediction-psi"):
        results.append(
            compare(
                f"{name} = PromQL ({n} scenarios)",
                mine[name],
                theirs[name],
                reference=ref,
                rtol=1e-9,
            )
        )
    return results
