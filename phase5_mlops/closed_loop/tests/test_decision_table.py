"""The loop's decisions on stubbed stages (no processes, no registry): every branch."""

import json

import pytest

from phase5_mlops.closed_loop.decision import DriftEvidence, run_loop
from phase5_mlops.closed_loop.report import LoopReport
from phase5_mlops.closed_loop.scripted import CALM, FAILED, ScriptedStages


def _run(stages):
    return run_loop(stages, LoopReport("test-run", {}))


def test_no_drift_means_no_retraining_and_the_champion_stays():
    stages = ScriptedStages(evidence=CALM)
    report = _run(stages)
    assert report.outcome == "no_drift" and stages.calls == ["observe"]
    assert report.champion_after == "1" and report.exit_code == 0


def test_a_rejected_retrain_never_reaches_the_canary():
    stages = ScriptedStages(version=None)
    report = _run(stages)
    assert report.outcome == "retrain_rejected" and stages.calls == ["observe", "retrain"]
    assert "quality" in report.stages[-1]["summary"] and report.champion_after == "1"
    assert report.challenger_version is None and report.exit_code == 2


def test_a_failed_canary_rolls_back_and_keeps_the_champion():
    stages = ScriptedStages(canary=FAILED)
    report = _run(stages)
    assert stages.calls == ["observe", "retrain", "canary", "roll_back"]
    assert report.outcome == "rolled_back" and report.exit_code == 3
    assert stages.aliases == {"champion": "1"} and report.champion_after == "1"
    assert "success rate 0.95 < 0.99" in stages.reasons[-1]
    assert report.stages[-2]["summary"] == "rolled_back at step 1"


def test_a_passed_canary_promotes_the_challenger():
    stages = ScriptedStages()
    report = _run(stages)
    assert stages.calls == ["observe", "retrain", "canary", "promote"]
    assert report.outcome == "promoted" and stages.aliases == {"champion": "2"}
    assert (report.champion_before, report.champion_after, report.challenger_version) == (
        "1",
        "2",
        "2",
    )
    assert [(e["alias"], e["version"]) for e in report.alias_history] == [("champion", "2")]


def test_an_empty_registry_is_bootstrapped_first():
    stages = ScriptedStages(champion=None)
    report = _run(stages)
    assert stages.calls[0] == "bootstrap" and report.champion_before == "1"
    assert report.outcome == "promoted"


def test_a_failed_bootstrap_stops_the_loop():
    stages = ScriptedStages(champion=None, boot=None)
    report = _run(stages)
    assert report.outcome == "bootstrap_failed" and stages.calls == ["bootstrap"]


def test_a_stage_that_raises_is_recorded_as_an_error():
    class Broken(ScriptedStages):
        def retrain(self, evidence):
            raise RuntimeError("store down")

    report = LoopReport("test-run", {})
    with pytest.raises(RuntimeError, match="store down"):
        run_loop(Broken(), report)
    assert report.outcome == "error" and report.exit_code == 1
    assert [s["name"] for s in report.stages] == ["monitor"]


@pytest.mark.parametrize(
    ("share", "psi", "drifted", "alerts", "retrains"),
    [
        (0.5, {"a": 0.0}, ["a"], True, False),  # share above 0.25 alerts; no PSI shift
        (0.2, {"a": 0.15}, ["a"], True, False),  # moderate PSI alerts, does not retrain
        (0.2, {"a": 0.3}, ["a"], True, True),  # significant PSI on a flagged column
        (0.0, {"a": 0.5}, [], False, False),  # PSI high, but the column's test does not flag it
        (0.25, {"a": 0.1}, ["a"], False, False),  # at the alert limits: rules use ">"
        (0.25, {"a": 0.25}, ["a"], True, False),  # at the retrain limit: ">"
    ],
)
def test_alerts_follow_the_monitoring_rules_and_retraining_needs_a_significant_shift(
    share, psi, drifted, alerts, retrains
):
    evidence = DriftEvidence(drifted, psi, share, 100)
    assert bool(evidence.alerts) is alerts and evidence.triggered is retrains


def test_the_report_shows_each_stage_and_round_trips_as_json(tmp_path):
    report = _run(ScriptedStages(canary=FAILED))
    as_json, as_md = report.write(tmp_path)
    text = as_md.read_text()
    assert "**rolled_back**" in text and "| 3 | canary |" in text and "#### rollback" in text
    assert json.loads(as_json.read_text())["outcome"] == "rolled_back"
