"""Gauges, the HTML report and the prediction-log reader."""

import json

import pandas as pd
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from phase5_mlops.monitoring.data import penguins_by_year, with_drift
from phase5_mlops.monitoring.drift import detect_drift
from phase5_mlops.monitoring.exporters import (
    export_gauges,
    read_prediction_log,
    write_html_report,
)


def test_real_penguins_by_year_show_no_drift_until_it_is_injected():
    reference, current = penguins_by_year()
    assert detect_drift(reference, current).drifted_share == 0.0
    drifted = {
        c.column for c in detect_drift(reference, with_drift(current)).columns if c.result.drifted
    }
    assert drifted == {"body_mass_g", "island"}


def test_gauges_carry_each_column_and_the_share():
    reference, current = penguins_by_year()
    report = detect_drift(reference, with_drift(current))
    text = generate_latest(export_gauges(report)).decode()
    samples = {
        (s.name, s.labels.get("column")): s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
    }
    assert samples[("drift_detected", "body_mass_g")] == 1.0
    assert samples[("drift_detected", "sex")] == 0.0
    assert samples[("drift_share", None)] == report.drifted_share


def test_html_report_has_a_table_row_and_a_plot_per_column(tmp_path):
    reference, current = penguins_by_year()
    report = detect_drift(reference, current)
    page = write_html_report(report, reference, current, tmp_path / "r.html").read_text()
    assert page.count("data:image/png;base64,") == len(report.columns)
    assert page.count("<tr><td>") == len(report.columns)


def test_prediction_log_reader_skips_a_torn_last_line(tmp_path):
    log = tmp_path / "predictions.jsonl"
    lines = [json.dumps({"features": {"x": i, "c": "a"}, "prediction": "y"}) for i in range(5)]
    log.write_text("\n".join(lines) + '\n{"features": {"x": 9')
    frame = read_prediction_log(log)
    assert list(frame["x"]) == [0, 1, 2, 3, 4] and set(frame.columns) == {"x", "c", "prediction"}
    assert list(read_prediction_log(log, last=2)["x"]) == [3, 4]
    assert isinstance(frame, pd.DataFrame)
