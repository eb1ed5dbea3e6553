"""Demo: drift between penguins of 2007-08 and 2009, then the phase 2 API's own log, live."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import generate_latest

from phase5_mlops.monitoring.data import penguins_by_year, with_drift
from phase5_mlops.monitoring.drift import DriftReport, detect_drift
from phase5_mlops.monitoring.exporters import export_gauges, write_html_report
from phase5_mlops.monitoring.parity import checks

OUT = Path("artifacts") / "phase5_mlops" / "monitoring"


def main(quick: bool = False) -> None:
    """Print both drift tables, the parity checks, and write HTML reports under artifacts/."""
    reference, current = penguins_by_year()
    for label, cur in (("2009 as measured", current), ("2009 with drift", with_drift(current))):
        report = detect_drift(reference, cur)
        print(f"\nReference 2007-08 ({len(reference)} rows) vs {label} ({len(cur)} rows):")
        _print(report)
        path = write_html_report(
            report, reference, cur, OUT / f"drift_{label.replace(' ', '_')}.html"
        )
        print(f"HTML report: {path}")
    gauges = generate_latest(export_gauges(report)).decode()
    print("\nPrometheus gauges (drifted window):")
    print("\n".join(line for line in gauges.splitlines() if line.startswith("drift_share")))
    _live(quick)
    print("\nParity with scipy:")
    for r in checks():
        print(f"  {'ok  ' if r.passed else 'FAIL'} {r.name:<40} max err {r.max_error:.2g}")


def _print(report: DriftReport) -> None:
    for c in report.columns:
        p = "" if c.result.p_value is None else f"p={c.result.p_value:.3g}"
        verdict = "DRIFT" if c.result.drifted else "ok"
        print(
            f"  {c.column:<20} {c.kind:<12} {c.result.test:<14} "
            f"stat={c.result.statistic:<10.4g} {p:<12} {verdict}"
        )
    print(f"  drifted share: {report.drifted_share:.0%}")


def _live(quick: bool) -> None:
    """Serve the phase 2 API in-process, send clean then drifted traffic, watch its log."""
    import tempfile

    from fastapi.testclient import TestClient

    from phase2_tabular.tabular_api.app import create_app
    from phase2_tabular.tabular_api.settings import TabularSettings
    from phase2_tabular.tabular_api.train import train
    from phase5_mlops.monitoring.live import LogMonitor, training_reference
    from phase5_mlops.monitoring.traffic import penguin_requests

    window = 200 if quick else 500
    with tempfile.TemporaryDirectory() as tmp:
        artifact = train(Path(tmp) / "model", n_splits=3, seed=0)
        log = Path(tmp) / "predictions.jsonl"
        settings = TabularSettings(
            artifact_dir=str(artifact), prediction_log=str(log), log_level="WARNING"
        )
        monitor = LogMonitor(log, training_reference(artifact), window=window)
        print(f"\nLive: the phase 2 API's prediction log, last {window} rows vs its training data")
        with TestClient(create_app(settings)) as client:
            for label, drifted in (("clean traffic", False), ("drifted traffic", True)):
                records = penguin_requests(window, seed=int(drifted), drifted=drifted)
                for i in range(0, window, 100):
                    batch = {"records": records[i : i + 100]}
                    client.post("/predict/batch", json=batch).raise_for_status()
                verdict = monitor.check()
                if verdict is None:  # the API writes no log, or fewer rows than the monitor needs
                    raise RuntimeError(
                        f"prediction log {log} has under {monitor.min_rows} rows after {label}"
                    )
                psi = ", ".join(f"{k}={v:.2f}" for k, v in verdict.psi.items())
                print(f"  after {label}: drifted {verdict.drifted or 'none'}; PSI {psi}")
        path = monitor.write_report(OUT / "drift_live_log.html")
        print(f"HTML report of the live window: {path}")
