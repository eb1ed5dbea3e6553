"""Judging a step: each gate fails on its own signal; too little traffic is inconclusive."""

import math

import pytest

from phase5_mlops.deploy.analysis import analyse_step
from phase5_mlops.deploy.policy import RolloutPolicy
from phase5_mlops.deploy.promtext import Snapshot, histogram_quantile, prediction_psi
from phase5_mlops.monitoring.stattests import psi

POLICY = RolloutPolicy(min_requests=20)
BUCKETS = (0.01, 0.1, 0.5, 1.0, math.inf)


def _snap(samples):
    return Snapshot({(name, frozenset(labels.items())): v for name, labels, v in samples})


def _router(ok=100, errors=0):
    return _snap(
        [
            ("router_upstream_requests_total", {"upstream": "green", "status": "200"}, ok),
            ("router_upstream_requests_total", {"upstream": "green", "status": "502"}, errors),
            ("router_upstream_requests_total", {"upstream": "blue", "status": "500"}, 50),
        ]
        + [
            (
                "router_upstream_request_duration_seconds_bucket",
                {"upstream": "green", "le": repr(le) if le != math.inf else "+Inf"},
                ok + errors,
            )
            for le in BUCKETS
        ]
    )


def _service(ok=100, errors=0, slow=0, classes=(40, 30, 30)):
    n = ok + errors
    route = "/predict/batch"
    rows = [
        ("http_requests_total", {"route": route, "method": "POST", "status": "200"}, ok),
        ("http_requests_total", {"route": route, "method": "POST", "status": "500"}, errors),
        ("http_requests_total", {"route": "/metrics", "method": "GET", "status": "500"}, 9),
    ]
    for le in BUCKETS:
        count = n - slow if le < 1.0 else n
        bound = "+Inf" if le == math.inf else repr(le)
        rows.append(
            (
                "http_request_duration_seconds_bucket",
                {"route": route, "method": "POST", "le": bound},
                count,
            )
        )
    for label, count in zip(("Adelie", "Chinstrap", "Gentoo"), classes, strict=True):
        rows.append(("tabular_predictions_total", {"label": label}, count))
    return _snap(rows)


STABLE = {"Adelie": 400.0, "Chinstrap": 300.0, "Gentoo": 300.0}


def test_a_healthy_step_passes_and_ignores_other_routes_and_the_stable():
    result = analyse_step(1, 10, POLICY, _router(), _service(), STABLE)
    assert result.verdict == "pass", result.reasons
    assert (result.canary_requests, result.service_success_rate) == (100, 1.0)
    assert result.psi == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("router", "service", "reason"),
    [
        (_router(errors=2), _service(), "success rate 0.9804"),  # seen by the router only
        (_router(), _service(ok=98, errors=2), "success rate 0.9800"),
        (_router(), _service(slow=2), "p99"),
        (_router(), _service(classes=(10, 80, 10)), "prediction PSI"),
    ],
    ids=["router-502s", "service-500s", "slow", "shifted"],
)
def test_each_gate_fails_the_step_on_its_own_signal(router, service, reason):
    result = analyse_step(2, 25, POLICY, router, service, STABLE)
    assert result.verdict == "fail"
    assert len(result.reasons) == 1 and result.reasons[0].startswith(reason)


def test_too_few_canary_requests_is_inconclusive():
    result = analyse_step(1, 10, POLICY, _router(ok=5), _service(ok=5), STABLE)
    assert result.verdict == "inconclusive" and "only 5" in result.reasons[0]


def test_prediction_psi_is_the_monitoring_milestones_psi_on_the_same_samples():
    canary, stable = {"A": 3.0, "B": 7.0}, {"A": 6.0, "B": 2.0, "C": 2.0}
    samples = lambda counts: [k for k, n in counts.items() for _ in range(int(n))]  # noqa: E731
    expected = psi(samples(stable), samples(canary), categorical=True).statistic
    assert prediction_psi(canary, stable) == pytest.approx(expected, rel=1e-12)
    assert math.isnan(prediction_psi({}, stable))


@pytest.mark.parametrize(
    ("q", "buckets", "expected"),
    [
        (0.5, [(1.0, 2.0), (2.0, 4.0), (math.inf, 4.0)], 1.0),
        (0.99, [(0.1, 90.0), (0.5, 99.0), (math.inf, 100.0)], 0.5),  # rank in +Inf bucket
        (0.25, [(0.0, 1.0), (1.0, 4.0), (math.inf, 4.0)], 0.0),  # first bound <= 0
        (0.5, [(1.0, 0.0), (math.inf, 0.0)], math.nan),  # no observations
        (0.5, [(1.0, 3.0), (2.0, 3.0)], math.nan),  # no +Inf bucket
        (1.5, [(1.0, 3.0), (math.inf, 3.0)], math.inf),
    ],
)
def test_histogram_quantile_edge_cases_follow_prometheus(q, buckets, expected):
    got = histogram_quantile(q, buckets)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"steps": (10, 5, 100)},
        {"steps": (10, 50)},
        {"steps": (0, 100)},
        {"success_rate_min": 1.5},
        {"min_requests": 0},
        {"psi_max": 0},
    ],
)
def test_an_impossible_policy_is_refused(bad):
    with pytest.raises(ValueError):
        RolloutPolicy(**bad)
