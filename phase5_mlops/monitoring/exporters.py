"""Where drift verdicts go: Prometheus gauges, an HTML report with plots, and the log reader."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import pandas as pd
from prometheus_client import CollectorRegistry, Gauge

from phase5_mlops.monitoring.drift import ColumnDrift, DriftReport


def read_prediction_log(path: Path, last: int | None = None) -> pd.DataFrame:
    """Rows of a JSON-lines prediction log: each record's `features` plus its `prediction`.

    Lines that are not JSON objects (a torn last line after a crash) are skipped.
    """
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict):
                continue
            row = dict(record.get("features", {}))
            if "prediction" in record:
                row["prediction"] = record["prediction"]
            rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.tail(last) if last else frame


def export_gauges(
    report: DriftReport, registry: CollectorRegistry | None = None
) -> CollectorRegistry:
    """Prometheus gauges: the statistic and verdict of each column, and the drifted share."""
    registry = registry or CollectorRegistry()
    stat = Gauge(
        "drift_statistic", "Drift test statistic per column", ["column", "test"], registry=registry
    )
    flag = Gauge("drift_detected", "1 if the column drifted", ["column", "test"], registry=registry)
    share = Gauge("drift_share", "Share of drifted columns", registry=registry)
    for col in report.columns:
        stat.labels(col.column, col.result.test).set(col.result.statistic)
        flag.labels(col.column, col.result.test).set(float(col.result.drifted))
    share.set(report.drifted_share)
    return registry


def write_html_report(
    report: DriftReport, reference: pd.DataFrame, current: pd.DataFrame, path: Path
) -> Path:
    """A standalone HTML page: the verdict table, then one histogram per column."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = "".join(_table_row(c) for c in report.columns)
    figures = []
    for col in report.columns:
        fig, ax = plt.subplots(figsize=(5, 2.6))
        if col.kind == "numeric":
            ax.hist(
                reference[col.column].dropna(), bins=30, alpha=0.5, density=True, label="reference"
            )
            ax.hist(current[col.column].dropna(), bins=30, alpha=0.5, density=True, label="current")
        else:
            ref = reference[col.column].astype(str).value_counts(normalize=True)
            cur = current[col.column].astype(str).value_counts(normalize=True)
            both = pd.DataFrame({"reference": ref, "current": cur}).fillna(0.0)
            both.plot.bar(ax=ax)
        ax.set_title(f"{col.column}: {col.result.test} = {col.result.statistic:.3g}", fontsize=9)
        ax.legend(fontsize=7)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80)
        plt.close(fig)
        data = base64.b64encode(buf.getvalue()).decode()
        figures.append(f"<img alt='{html.escape(col.column)}' src='data:image/png;base64,{data}'>")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Drift report</title></head>"
        "<body style='font-family:sans-serif'><h1>Drift report</h1>"
        f"<p>{report.reference_rows} reference rows, {report.current_rows} current rows; "
        f"{report.drifted_share:.0%} of columns drifted.</p>"
        "<table border='1' cellpadding='3'><tr><th>column</th><th>kind</th><th>test</th>"
        "<th>statistic</th><th>p-value</th><th>threshold</th><th>verdict</th></tr>"
        f"{rows}</table>{''.join(figures)}</body></html>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page)
    return path


def _table_row(col: ColumnDrift) -> str:
    r = col.result
    p_value = "" if r.p_value is None else f"{r.p_value:.3g}"
    colour, verdict = ("#b00", "drift") if r.drifted else ("#070", "ok")
    return (
        f"<tr><td>{html.escape(col.column)}</td><td>{col.kind}</td><td>{r.test}</td>"
        f"<td>{r.statistic:.4g}</td><td>{p_value}</td><td>{r.threshold:g}</td>"
        f"<td style='color:{colour}'>{verdict}</td></tr>"
    )
