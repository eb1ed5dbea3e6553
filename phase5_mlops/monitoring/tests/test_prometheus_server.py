"""A real Prometheus scrapes the real tabular API and drift monitor; the drift alerts fire."""

import contextlib

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from phase0_env.common.testing import run_uvicorn
from phase5_mlops.monitoring.prometheus_server import (
    RULES,
    alerts,
    prometheus_binary,
    query,
    run_prometheus,
    wait_for,
)
from phase5_mlops.monitoring.traffic import DRIFTED_COLUMNS, penguin_requests

WINDOW = 300
DRIFT_ALERTS = {"DriftShareHigh", "FeaturePSIHigh"}


def _rules_without_delay(path):
    """The shipped rules with every `for:` set to 0s, so an alert fires on its first evaluation."""
    rules = yaml.safe_load(RULES.read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            rule["for"] = "0s"
    path.write_text(yaml.safe_dump(rules))
    return path


def _scalar(url, promql):
    result = query(url, promql)
    return float(result[0]["value"][1]) if len(result) == 1 else None


def _exposed(server_url, name, column=None):
    text = httpx.get(server_url + "/metrics", timeout=5).text
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and s.labels.get("column") == column:
                return s.value
    return None


def _send(url, records):
    for start in range(0, len(records), 100):
        r = httpx.post(url + "/predict/batch", json={"records": records[start : start + 100]})
        assert r.status_code == 200, r.text


@pytest.mark.service
@pytest.mark.timeout(120)
def test_prometheus_scrapes_the_drift_gauges_and_fires_the_drift_alerts(artifact, tmp_path):
    try:
        prometheus_binary()
    except FileNotFoundError as err:
        pytest.skip(str(err))
    log = str(tmp_path / "predictions.jsonl")
    common = {"ROADMAP_LOG_LEVEL": "WARNING"}
    with contextlib.ExitStack() as stack:
        api = stack.enter_context(
            run_uvicorn(
                "phase2_tabular.tabular_api.app:create_app",
                env={
                    **common,
                    "TABULAR_ARTIFACT_DIR": str(artifact),
                    "TABULAR_PREDICTION_LOG": log,
                    "TABULAR_LOG_LEVEL": "WARNING",
                },
                log_dir=str(tmp_path),
            )
        )
        monitor = stack.enter_context(
            run_uvicorn(
                "phase5_mlops.monitoring.service:create_app",
                env={
                    "MONITOR_ARTIFACT_DIR": str(artifact),
                    "MONITOR_PREDICTION_LOG": log,
                    "MONITOR_WINDOW": str(WINDOW),
                    "MONITOR_LOG_LEVEL": "WARNING",
                },
                log_dir=str(tmp_path),
            )
        )
        prom = stack.enter_context(
            run_prometheus(
                {
                    "tabular_api": f"127.0.0.1:{api.port}",
                    "drift_monitor": f"127.0.0.1:{monitor.port}",
                },
                workdir=tmp_path / "prometheus",
                rules=[_rules_without_delay(tmp_path / "alerts.yml")],
            )
        )
        wait_for(lambda: _scalar(prom, "sum(up)") == 2.0, 15, what="both targets up")

        _send(api.url, penguin_requests(WINDOW, seed=1))
        wait_for(lambda: _scalar(prom, "drift_window_rows") == WINDOW, 15, what="clean window")
        assert _scalar(prom, "drift_share") == _exposed(monitor.url, "drift_share") == 0.0
        assert not {a["labels"]["alertname"] for a in alerts(prom)} & DRIFT_ALERTS

        _send(api.url, penguin_requests(WINDOW, seed=2, drifted=True))
        served = httpx.get(monitor.url + "/drift", timeout=10).json()
        assert served["drifted_share"] == pytest.approx(2 / 6)
        wait_for(
            lambda: _scalar(prom, "drift_share") == served["drifted_share"],
            15,
            what="drift scraped",
        )
        assert _scalar(prom, "drift_share") == _exposed(monitor.url, "drift_share")
        psi = _scalar(prom, 'drift_psi{column="body_mass_g"}')
        assert (
            psi == _exposed(monitor.url, "drift_psi", "body_mass_g") == served["psi"]["body_mass_g"]
        )

        def fired():
            active = [a for a in alerts(prom) if a["state"] == "firing"]
            names = {a["labels"]["alertname"] for a in active}
            return active if names >= DRIFT_ALERTS else None

        active = wait_for(fired, 15, what="drift alerts firing")
        psi_columns = {
            a["labels"]["column"] for a in active if a["labels"]["alertname"] == "FeaturePSIHigh"
        }
        assert psi_columns == set(DRIFTED_COLUMNS)
        batches = 'sum(http_requests_total{job="tabular_api",route="/predict/batch"})'
        wait_for(lambda: _scalar(prom, batches) == 6, 15, what="the API's own counters scraped")
