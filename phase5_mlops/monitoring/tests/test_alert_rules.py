"""The alert rules are valid Prometheus rules and fire on the series they are written for."""

import subprocess

import pytest

from phase5_mlops.monitoring.prometheus_server import RULES, prometheus_binary


def _promtool():
    try:
        return prometheus_binary("promtool")
    except FileNotFoundError as err:
        pytest.skip(f"promtool is absent, so the rules cannot be checked: {err}")


def test_alert_rules_pass_promtool_check():
    done = subprocess.run(
        [_promtool(), "check", "rules", str(RULES)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS: 4 rules found" in done.stdout


def test_alert_rules_unit_tests_pass_promtool_test():
    done = subprocess.run(
        [_promtool(), "test", "rules", str(RULES.with_name("alerts_test.yml"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_promtool_rejects_a_broken_rule(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: drift_share >\n"
    )
    done = subprocess.run(
        [_promtool(), "check", "rules", str(broken)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
