"""The demo runs and logs to MLflow; the bench produces rows at three sizes."""

from phase3_deep.training import bench, demo


def test_quick_demo_trains_and_prints_run_id(monkeypatch, mlflow_uri, capsys):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_uri)
    demo.main(quick=True)
    out = capsys.readouterr().out
    assert "MLflow run id:" in out
    assert "one_cycle_vs_OneCycleLR" in out and "FAIL" not in out
    accuracy = float(out.split("test accuracy ")[1].split()[0])
    assert accuracy > 0.9


def test_quick_throughput_bench_has_three_sizes_per_case():
    # the DDP rows spawn processes (~15 s each); DDP itself is proven in test_ddp.py
    rows = bench.throughput_rows(quick=True)
    assert {r.case for r in rows} == {"bf16 autocast vs fp32", "our loop vs plain loop"}
    assert len({r.size for r in rows if r.case == "bf16 autocast vs fp32"}) == 3
    assert all(r.ours_s > 0 and r.ref_s > 0 and r.quality for r in rows)
