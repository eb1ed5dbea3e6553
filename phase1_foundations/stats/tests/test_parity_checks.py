"""`checks()` passes; the demo writes its plot; the quick bench reports small errors."""

from phase1_foundations.stats import bench, demo, parity


def test_every_parity_check_passes():
    results = parity.checks()
    assert len(results) >= 15
    failed = [r for r in results if not r.passed]
    assert not failed, failed


def test_demo_prints_parity_and_saves_plot(tmp_path, capsys):
    demo.main(quick=True, out_dir=tmp_path)
    out = capsys.readouterr().out
    assert "parity with scipy" in out and "FAIL" not in out
    assert (tmp_path / "bias_variance.png").stat().st_size > 1000


def test_bench_has_three_sizes_per_case_and_matches_scipy(monkeypatch):
    monkeypatch.setattr(bench, "sizes", lambda quick, full, small=None: [20, 40, 60])
    rows = bench.run(quick=True)
    assert all(sum(r.case == c for r in rows) == 3 for c in {r.case for r in rows})
    assert all(r.quality["max_rel_diff"] < 1e-9 for r in rows)
