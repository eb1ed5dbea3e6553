"""The demo trains, serves and answers end to end; the bench produces real rows."""

import pytest

from phase2_tabular.tabular_api import bench, demo
from phase2_tabular.tabular_api.parity import checks


def test_every_check_passes():
    results = checks()
    assert len(results) >= 4 and all(r.passed for r in results), [
        r for r in results if not r.passed
    ]


@pytest.mark.service
def test_demo_trains_serves_and_answers(capsys):
    demo.main(quick=True)
    out = capsys.readouterr().out
    assert "POST /predict" in out and '"label": "Chinstrap"' in out
    assert "bad input -> 422: invalid input: island" in out
    assert "150/150 match" in out or "149/150 match" in out


def test_training_bench_compares_pipeline_and_plain_estimator(monkeypatch):
    monkeypatch.setattr(bench, "sizes", lambda quick, full, small=None: [60, 90, 120])
    rows = bench.training_rows(quick=True)
    assert len(rows) == 9 and {r.size for r in rows} == {60, 90, 120}
    assert all(r.ours_s > 0 and r.ref_s > 0 for r in rows)


@pytest.mark.service
@pytest.mark.slow  # two servers x 12 load cells: ~100 s on a loaded 2-core machine
def test_serving_bench_measures_both_apps_without_errors(tmp_path):
    rows = bench.serving_rows(tmp_path, requests=8)
    assert [r.size for r in rows] == [1, 8, 32, 1, 8, 32]
    assert all(r.quality["errors"] == 0 and r.ref_s > 0 for r in rows)
