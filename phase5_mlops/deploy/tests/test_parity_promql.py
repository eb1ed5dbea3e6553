"""The local analysis equals Prometheus' engine on the AnalysisTemplate's own queries."""

import pytest

from phase0_env.common.parity import assert_parity
from phase5_mlops.deploy.parity import checks, ours, promql, scenario_series
from phase5_mlops.deploy.promtool_eval import evaluate, promtool_path, promtool_version

needs_promtool = pytest.mark.skipif(promtool_path() is None, reason="promtool not installed")


@needs_promtool
@pytest.mark.parametrize("metric", ["success-rate", "latency-p99", "prediction-psi"])
def test_local_analysis_equals_promql(metric):
    n = 12
    series = scenario_series(n, seed=7)
    mine, theirs = ours(series, n), promql(series, n)
    # float64 on both sides, summed in different orders: 1e-9 allows reordering only.
    assert_parity(
        mine[metric], theirs[metric], reference=promtool_version(), rtol=1e-9, name=metric
    )


@needs_promtool
def test_promtool_rejects_a_broken_query():
    with pytest.raises(RuntimeError, match="promtool"):
        evaluate({"bad": "sum(rate(x[5m]"}, {'x{a="b"}': [0.0, 1.0]}, 1)


@needs_promtool
def test_every_parity_check_passes():
    results = checks()
    assert len(results) == 6
    assert all(r.passed for r in results), [r for r in results if not r.passed]
