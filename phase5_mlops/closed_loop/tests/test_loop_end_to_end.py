"""The whole loop on real processes: drift -> retrain -> register -> canary -> promote/roll back.

Each test starts from a registry whose champion (v1) was bootstrapped by the nightly run, so
the loop's own stages all run: the champion's API process serves drifted requests, the
monitor flags them, the challenger is trained, gated and registered, then canaried against
the champion through the router, and the registry is updated by the verdict.
"""

import pytest
from fastapi.testclient import TestClient

from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase5_mlops.closed_loop.loop import run_closed_loop
from phase5_mlops.registry.model_registry import TabularRegistry
from phase5_mlops.retraining_pipeline.steps import store_env

pytestmark = [pytest.mark.slow, pytest.mark.service]


def _served_by_champion(uri):
    settings = TabularSettings(
        artifact_dir="models:/penguins@champion", prediction_log="", log_level="WARNING"
    )
    with store_env(uri), TestClient(create_app(settings)) as client:
        return client.get("/model").json()


def test_a_good_challenger_goes_all_the_way_to_champion(loop_config, bootstrapped, tmp_path):
    report, folder = run_closed_loop(loop_config, runs_dir=tmp_path / "runs")
    print(report.markdown())  # shown when the test fails: the run's evidence
    assert report.outcome == "promoted", report.stages[-1]["summary"]
    old, new = bootstrapped[1], report.challenger_version
    assert report.champion_before == old and report.champion_after == new != old

    monitor = report.evidence("monitor")
    assert {"body_mass_g", "island"} <= set(monitor["drifted"])
    retrain = report.evidence("retrain")
    assert [g["name"] for g in retrain["gates"]] == [
        "contract",
        "drift vs recent window",
        "quality",
    ]
    assert retrain["detail"]["nightly_drift_gate"].startswith("reject")  # the shift is real
    canary = report.evidence("canary")
    assert [(s["weight"], s["verdict"]) for s in canary["steps"]] == [
        (10, "pass"),
        (25, "pass"),
        (50, "pass"),
        (100, "pass"),
    ]
    assert canary["detail"]["load"]["failed"] == 0
    assert canary["detail"]["router_after_canary"] == {"status": 200, "upstream": "green"}

    registry = TabularRegistry("penguins", uri=loop_config.tracking_uri)
    assert registry.aliases() == {"champion": new}  # challenger freed by the promotion
    promote = [e for e in registry.history() if e.action == "promote"][-1]
    assert (promote.version, promote.previous) == (new, old)
    assert "canary passed" in promote.reason and promote.actor == "closed_loop"
    assert registry.history_problems() == []

    served = _served_by_champion(loop_config.tracking_uri)
    assert served["served_from"]["version"] == new
    sha = retrain["detail"]["challenger_sha256"]
    assert served["model_sha256"] == sha == canary["detail"]["green_sha256"]
    assert (folder / "report.json").is_file() and "**promoted**" in (
        folder / "report.md"
    ).read_text()


def test_a_faulty_challenger_is_rolled_back_while_the_champion_serves(
    loop_config, bootstrapped, tmp_path
):
    loop_config.fault = "errors"
    report, _ = run_closed_loop(loop_config, runs_dir=tmp_path / "runs")
    print(report.markdown())
    assert report.outcome == "rolled_back", report.stages[-1]["summary"]
    old, rejected = bootstrapped[1], report.challenger_version

    canary = report.evidence("canary")
    first = canary["steps"][0]
    assert first["verdict"] == "fail" and any("success rate" in r for r in first["reasons"])
    champion_traffic = canary["detail"]["champion_via_router"]
    assert champion_traffic["requests"] > 0 and champion_traffic["success_rate"] == 1.0
    assert canary["detail"]["router_after_canary"] == {"status": 200, "upstream": "blue"}

    registry = TabularRegistry("penguins", uri=loop_config.tracking_uri)
    assert registry.aliases() == {"champion": old}
    cleared = registry.history()[-1]
    assert (cleared.alias, cleared.version, cleared.previous) == ("challenger", None, rejected)
    assert "canary failed" in cleared.reason
    assert "rolled_back" in registry.version_tags(rejected)
    assert registry.history_problems() == []
    assert _served_by_champion(loop_config.tracking_uri)["served_from"]["version"] == old
