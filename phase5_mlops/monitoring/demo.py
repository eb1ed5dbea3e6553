"""Demo: drift between penguins measured in 2007-08 and 2009, then with injected drift."""

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
