"""`checks()` (what `roadmap report` runs) passes, and the demo and quick bench run."""

from phase1_foundations.math_foundations import bench, demo, parity


def test_every_parity_check_passes():
    results = parity.checks()
    assert len(results) >= 15
    failed = [r for r in results if not r.passed]
    assert not failed, failed


def test_demo_prints_parity_table(capsys):
    demo.main(quick=True)
    out = capsys.readouterr().out
    assert "parity with torch" in out and "FAIL" not in out


def test_bench_rows_have_three_sizes_per_case_and_small_errors(monkeypatch):
    monkeypatch.setattr(bench, "sizes", lambda quick, full, small=None: [50, 100, 200])
    rows = bench.run(quick=True)
    cases = {r.case for r in rows}
    assert all(sum(r.case == c for r in rows) == 3 for c in cases)
    assert all(max(r.quality.values()) < 1e-9 for r in rows)
