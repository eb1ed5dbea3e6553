"""The demo writes its plots and the bench returns timed rows (quick modes)."""

from phase3_deep.debug_drills import bench, demo


def test_demo_quick_writes_one_plot_per_drill(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    demo.main(quick=True)
    pngs = sorted(p.name for p in (tmp_path / "artifacts" / "debug_drills").glob("*.png"))
    assert len(pngs) == 4
    assert "MISS" not in capsys.readouterr().out


def test_bench_quick_rows():
    rows = bench.run(quick=True)
    assert [r.size for r in rows[:3]] == [32, 64, 128]
    assert all(r.ours_s > 0 and r.ref_s and r.ref_s > 0 for r in rows[:3])
