"""The live monitor reads the phase 2 API's prediction log and flags just the drifted columns."""

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from phase2_tabular.tabular_api.app import create_app as create_tabular_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase5_mlops.monitoring.live import DriftCollector, LogMonitor, training_reference
from phase5_mlops.monitoring.service import MonitorSettings
from phase5_mlops.monitoring.service import create_app as create_monitor_app
from phase5_mlops.monitoring.traffic import DRIFTED_COLUMNS, penguin_requests

WINDOW = 300


@pytest.fixture
def tabular(artifact, tmp_path):
    log = tmp_path / "predictions.jsonl"
    settings = TabularSettings(
        artifact_dir=str(artifact), prediction_log=str(log), log_level="WARNING"
    )
    with TestClient(create_tabular_app(settings)) as client:
        yield client, log


def _samples(registry):
    text = generate_latest(registry).decode()
    return {
        (s.name, s.labels.get("column")): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_monitor_flags_the_drifted_columns_of_the_apis_log_and_no_others(
    tabular, artifact, send_traffic, tmp_path
):
    client, log = tabular
    monitor = LogMonitor(log, training_reference(artifact), window=WINDOW)
    registry = CollectorRegistry()
    registry.register(DriftCollector(monitor))
    assert monitor.check() is None and _samples(registry)[("drift_window_rows", None)] == 0

    send_traffic(client, penguin_requests(WINDOW, seed=1))
    clean = monitor.check()
    assert clean.drifted == [] and clean.log_rows == WINDOW
    assert max(clean.psi.values()) < 0.1, clean.psi

    send_traffic(client, penguin_requests(WINDOW, seed=2, drifted=True))
    verdict = monitor.check()
    assert verdict.log_rows == 2 * WINDOW and len(verdict.current) == WINDOW
    assert sorted(verdict.drifted) == sorted(DRIFTED_COLUMNS)
    tests = {c.column: c.result.test for c in verdict.report.columns}
    assert tests == {
        "bill_length_mm": "ks",
        "bill_depth_mm": "ks",
        "flipper_length_mm": "ks",
        "body_mass_g": "ks",
        "island": "chisquare",
        "sex": "z",
    }
    over = {col for col, value in verdict.psi.items() if value > 0.1}
    assert over == set(DRIFTED_COLUMNS), verdict.psi

    samples = _samples(registry)
    assert samples[("drift_detected", "body_mass_g")] == 1.0
    assert samples[("drift_detected", "sex")] == 0.0
    assert samples[("drift_share", None)] == pytest.approx(2 / 6)
    assert samples[("drift_psi", "island")] == verdict.psi["island"]

    page = monitor.write_report(tmp_path / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 6 and "33% of columns drifted" in page


def test_monitor_rereads_the_log_only_when_it_changed(tabular, artifact, send_traffic):
    client, log = tabular
    monitor = LogMonitor(log, training_reference(artifact), window=WINDOW)
    send_traffic(client, penguin_requests(50, seed=3))
    first = monitor.check()
    assert monitor.check() is first
    send_traffic(client, penguin_requests(10, seed=4))
    assert monitor.check() is not first and monitor.check().log_rows == 60


def test_monitor_service_answers_drift_report_and_gauges(tabular, artifact, send_traffic):
    client, log = tabular
    settings = MonitorSettings(
        prediction_log=str(log), artifact_dir=str(artifact), window=WINDOW, log_level="WARNING"
    )
    with TestClient(create_monitor_app(settings)) as monitor:
        assert monitor.get("/readyz").status_code == 200
        assert monitor.get("/drift").status_code == 404
        send_traffic(client, penguin_requests(WINDOW, seed=5, drifted=True))
        body = monitor.get("/drift").json()
        assert body["drifted_share"] == pytest.approx(2 / 6) and body["current_rows"] == WINDOW
        assert 'drift_psi{column="body_mass_g"}' in monitor.get("/metrics").text
        report = monitor.get("/drift/report")
        assert report.headers["content-type"].startswith("text/html")
        assert report.text.count("<img") == 6


def test_monitor_without_an_artifact_is_alive_but_not_ready(tmp_path):
    settings = MonitorSettings(
        prediction_log=str(tmp_path / "p.jsonl"), artifact_dir=str(tmp_path / "none")
    )
    with TestClient(create_monitor_app(settings)) as monitor:
        assert monitor.get("/healthz").status_code == 200
        assert monitor.get("/readyz").status_code == 503
        assert monitor.get("/drift").status_code == 503


def test_monitor_refuses_an_empty_window():
    with pytest.raises(ValueError, match="window"):
        LogMonitor("x.jsonl", reference=None, window=0)
