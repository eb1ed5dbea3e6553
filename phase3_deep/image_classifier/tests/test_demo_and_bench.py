"""The demo trains to the target and logs to MLflow; the bench has three sizes."""

import pytest

from phase3_deep.image_classifier import bench, demo


@pytest.mark.slow
def test_demo_reaches_the_macro_f1_target_and_logs_the_run(monkeypatch, mlflow_uri, capsys):
    from mlflow.tracking import MlflowClient

    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_uri)
    demo.main(quick=True)
    out = capsys.readouterr().out
    f1 = float(out.split("held-out test macro-F1 ")[1].split()[0])
    assert f1 >= demo.TARGET_MACRO_F1
    run_id = out.split("MLflow run id: ")[1].split()[0]
    client = MlflowClient(mlflow_uri)
    run = client.get_run(run_id)
    assert run.data.metrics["test_macro_f1"] == pytest.approx(f1, abs=1e-4)
    assert {"seed", "git_revision"} <= set(run.data.tags)
    plots = {a.path for a in client.list_artifacts(run_id, "plots")}
    assert plots == {"plots/confusion.png", "plots/loss.png"}
    assert len(client.get_metric_history(run_id, "val_loss")) >= 2


def test_quick_bench_compares_the_pipelines_at_three_sizes():
    rows = bench.run(quick=True)
    assert [r.size for r in rows] == [64, 128, 256]
    assert all(r.ours_s > 0 and r.ref_s > 0 and r.quality["ours_img_s"] > 0 for r in rows)
