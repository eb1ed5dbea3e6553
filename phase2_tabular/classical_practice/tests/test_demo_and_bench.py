"""The bench returns real rows: ours and scikit-learn side by side, with equal results."""

from phase2_tabular.classical_practice import bench


def test_bench_quick_compares_three_sizes_with_equal_results(monkeypatch):
    from phase0_env.common import bench as kit

    monkeypatch.setattr(bench, "sizes", lambda quick, full, small=None: [40, 80, 160])
    # One timed run per side: the test checks the rows, not the timings.
    monkeypatch.setattr(
        bench, "compare", lambda *a, **k: kit.compare(*a, **{**k, "repeats": 1, "warmup": 0})
    )
    rows = bench.run(quick=True)
    assert [r.size for r in rows] == [40, 80, 160]
    assert all(r.ref_s and r.ours_s > 0 for r in rows)
    assert all(r.quality["max_abs_diff"] < 1e-12 for r in rows)
