"""The minimal canary analysis against promtool (Prometheus' engine) and the full version."""

from __future__ import annotations

import math

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity
from phase5_mlops.deploy import minimal
from phase5_mlops.deploy.promql import p99_latency_query, psi_query, success_rate_query
from phase5_mlops.deploy.promtext import Snapshot, histogram_quantile, prediction_psi, success_rate
from phase5_mlops.deploy.promtool_eval import evaluate, promtool_path, promtool_version
from phase5_mlops.deploy.router import WeightedSplit

RNG = np.random.default_rng(3)
BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, math.inf]
PER_BUCKET = RNG.integers(0, 40, size=len(BOUNDS)).astype(float)  # observations per bucket
CUMULATIVE = list(np.cumsum(PER_BUCKET))
STATUS = {"200": 380.0, "422": 7.0, "500": 3.0, "503": 2.0}
CANARY = {"Adelie": 120.0, "Chinstrap": 31.0}  # never predicts Gentoo
STABLE = {"Adelie": 90.0, "Chinstrap": 40.0, "Gentoo": 75.0}
MINUTES = 10


def _counters() -> dict[str, list[float]]:
    """Per-minute cumulative counters growing linearly, as promtool input series."""
    grow = lambda per_min: [per_min * m for m in range(MINUTES + 1)]  # noqa: E731
    series = {}
    for le, n in zip(BOUNDS, CUMULATIVE, strict=True):
        le_text = "+Inf" if math.isinf(le) else repr(le)
        series[
            f'http_request_duration_seconds_bucket{{service="c",route="/predict",le="{le_text}"}}'
        ] = grow(n)
    for status, n in STATUS.items():
        series[f'http_requests_total{{service="c",route="/predict",status="{status}"}}'] = grow(n)
    for side, table in (("c", CANARY), ("s", STABLE)):
        for label, n in table.items():
            series[f'tabular_predictions_total{{service="{side}",label="{label}"}}'] = grow(n)
    return series


@pytest.mark.skipif(promtool_path() is None, reason="promtool not installed")
def test_equal_to_promql_evaluated_by_promtool():
    # Linear counters: rate()'s extrapolation scales every series alike and cancels in the
    # quantile, the ratio and the shares; what remains is float64 summation order.
    got = evaluate(
        {
            "p99": p99_latency_query('service="c"', "5m"),
            "success": success_rate_query('service="c"', "5m"),
            "psi": psi_query('service="c"', 'service="s"', "5m"),
        },
        _counters(),
        at_minute=MINUTES,
    )
    ref = promtool_version()
    p99 = minimal.histogram_quantile(0.99, BOUNDS, CUMULATIVE)
    assert_parity(p99, got["p99"], reference=ref, rtol=1e-9, name="histogram_quantile p99")
    success = minimal.success_rate(STATUS)
    assert_parity(success, got["success"], reference=ref, rtol=1e-9, name="success rate")
    psi = minimal.class_psi(CANARY, STABLE)
    assert_parity(psi, got["psi"], reference=ref, rtol=1e-9, name="class psi")


@pytest.mark.parametrize("q", [0.0, 0.1, 0.5, 0.9, 0.99, 1.0])
def test_histogram_quantile_equals_the_full_version(q):
    ours = minimal.histogram_quantile(q, BOUNDS, CUMULATIVE)
    full = histogram_quantile(q, list(zip(BOUNDS, CUMULATIVE, strict=True)))
    # Same formula, same operations in the same order.
    assert_parity(ours, full, reference="full version", rtol=1e-15, name=f"quantile {q}")


def test_rank_in_the_inf_bucket_returns_the_largest_finite_bound():
    ours = minimal.histogram_quantile(0.99, [0.1, 1.0, math.inf], [1.0, 2.0, 100.0])
    assert_parity(ours, 1.0, reference="Prometheus bucketQuantile rule", exact=True, name="+Inf")


def test_success_rate_and_psi_equal_the_full_version():
    snap = Snapshot(
        {
            ("http_requests_total", frozenset({"route": "/predict", "status": s}.items())): n
            for s, n in STATUS.items()
        }
    )
    full_rate, _ = success_rate(snap)
    assert_parity(
        minimal.success_rate(STATUS),
        full_rate,
        reference="full version",
        rtol=1e-15,
        name="success vs full",
    )
    # The full PSI goes through the monitoring milestone's categorical PSI on expanded samples.
    assert_parity(
        minimal.class_psi(CANARY, STABLE),
        prediction_psi(CANARY, STABLE),
        reference="full version",
        rtol=1e-12,
        name="psi vs full",
    )


def test_weighted_split_equals_the_full_router():
    for percent in (10, 25, 50, 100, 33):
        split = WeightedSplit(percent)
        full = [split.pick() for _ in range(200)]
        ours = minimal.weighted_split(percent, 200)
        assert_parity(
            [r == "green" for r in ours],
            [r == "green" for r in full],
            reference="full version",
            exact=True,
            name=f"split {percent}%",
        )
    assert_parity(
        minimal.weighted_split(10, 100).count("green"),
        10,
        reference="definition",
        exact=True,
        name="10 of 100",
    )


def test_judge_step_gates():
    assert minimal.judge_step(10, 1.0, 0.01, 0.0) == "inconclusive"
    assert minimal.judge_step(100, 0.999, 0.2, 0.05) == "pass"
    assert minimal.judge_step(100, 0.95, 0.2, 0.05) == "fail"
    assert minimal.judge_step(100, 1.0, 0.8, 0.05) == "fail"
    assert minimal.judge_step(100, 1.0, 0.2, 0.4) == "fail"
