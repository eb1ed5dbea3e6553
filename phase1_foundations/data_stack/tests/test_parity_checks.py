"""`checks()` passes; the demo and a small bench run and report identical results."""

from phase1_foundations.data_stack import bench, demo, parity


def test_every_parity_check_passes():
    results = parity.checks()
    assert len(results) >= 30
    failed = [r for r in results if not r.passed]
    assert not failed, failed


def test_demo_runs_on_small_table(tmp_path, capsys):
    demo.main(n_rows=5_000, cache_dir=tmp_path)
    out = capsys.readouterr().out
    assert "NO" not in out.split("top 5")[0]  # every engine row says "yes"
    assert out.count(" yes") == 6 and "asyncio: 41 requests, 40 ok, 1 timed out" in out


def test_bench_has_three_sizes_per_case_and_identical_results():
    rows = bench.run(quick=False, full=(500, 1_000, 2_000))
    assert all(sum(r.case == c for r in rows) == 3 for c in {r.case for r in rows})
    assert all(r.quality["identical"] for r in rows)
    assert all(r.quality["tracemalloc_peak_mb"] >= 0 for r in rows)
