"""The loop's decisions, written once and free of processes: which stage runs next and why.

`run_loop(stages, report)` bootstraps a champion when there is none, asks the monitor for a
verdict on live traffic, retrains only on drift, canaries only a registered challenger, and
promotes it or rolls it back by the canary's verdict. `stages` does the work (live_stages.py
on real processes; the tests pass stubs), so every branch is testable in milliseconds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from phase5_mlops.closed_loop.report import LoopReport

# The monitoring milestone's alert rules (monitoring/deploy/alerts.yml): the share of
# drifted columns above 0.25, or a flagged column whose PSI is above 0.1. They warn a human.
SHARE_ALERT = 0.25
PSI_ALERT = 0.1
# Retraining needs a significant shift: a column its test flags with PSI above 0.25 (the
# usual "significant" cut-off, deploy's PSI gate). Against a 240-row training snapshot the
# alert rules fire on 20-35 % of undrifted 200-500-row windows (the snapshot's own sampling
# error); this rule fired on none of 30 undrifted days and on all 30 at drift 1.0.
RETRAIN_PSI = 0.25


@dataclass
class DriftEvidence:
    """The monitor's verdict on the live window: its alert rules and the retraining trigger."""

    drifted: list[str]
    psi: dict[str, float]
    drifted_share: float
    window_rows: int
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def alerts(self) -> list[str]:
        """The alert rules that fire on this verdict (empty: no drift)."""
        fired = []
        if self.drifted_share > SHARE_ALERT:
            fired.append(f"drift_share {self.drifted_share:.2f} > {SHARE_ALERT}")
        fired += [
            f"drift_psi{{column={c!r}}} {self.psi[c]:.3f} > {PSI_ALERT}"
            for c in self.drifted
            if self.psi.get(c, 0.0) > PSI_ALERT
        ]
        return fired

    @property
    def significant(self) -> list[str]:
        """Flagged columns whose PSI is above RETRAIN_PSI: the retraining trigger."""
        return [c for c in self.drifted if self.psi.get(c, 0.0) > RETRAIN_PSI]

    @property
    def triggered(self) -> bool:
        return bool(self.significant)


@dataclass
class RetrainOutcome:
    """What the retraining gates decided; `version` is set only when a challenger was registered."""

    version: str | None
    gates: list[dict[str, Any]]
    failed_gate: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class CanaryOutcome:
    """The controller's outcome ("promoted" or "rolled_back"), its steps and what clients saw."""

    outcome: str
    steps: list[dict[str, Any]]
    events: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.outcome == "promoted"


class Stages(Protocol):
    """The work behind each decision (real processes in live_stages.py, stubs in tests)."""

    def champion(self) -> str | None: ...
    def bootstrap(self) -> dict[str, Any]: ...
    def observe(self) -> DriftEvidence: ...
    def retrain(self, evidence: DriftEvidence) -> RetrainOutcome: ...
    def canary(self, version: str) -> CanaryOutcome: ...
    def promote(self, version: str, reason: str) -> dict[str, Any]: ...
    def roll_back(self, version: str, reason: str) -> dict[str, Any]: ...
    def history(self) -> list[dict[str, Any]]: ...


def run_loop(stages: Stages, report: LoopReport) -> LoopReport:
    """Run the loop once and record every stage; the outcome says where it stopped."""
    try:
        _decide(stages, report)
    finally:
        report.alias_history = stages.history()
        if report.outcome == "running":
            report.finish("error", None)
    return report


def _decide(stages: Stages, report: LoopReport) -> None:
    report.champion_before = stages.champion()
    if report.champion_before is None:
        boot = stages.bootstrap()
        report.stage("bootstrap", bool(boot.get("version")), boot.get("summary", ""), boot)
        if not boot.get("version"):
            report.finish("bootstrap_failed", stages.champion())
            return
        report.champion_before = stages.champion()

    evidence = stages.observe()  # the summary holds both: what alerts, what retrains
    alerts = "; ".join(evidence.alerts) or "none"
    summary = (
        f"significant shift in {evidence.significant} (PSI > {RETRAIN_PSI}); alerts: {alerts}"
        if evidence.triggered
        else f"no significant shift (no flagged column with PSI > {RETRAIN_PSI}); alerts: {alerts}"
    )
    report.stage("monitor", evidence.triggered, summary, asdict(evidence))
    if not evidence.triggered:
        report.finish("no_drift", stages.champion())
        return

    retrain = stages.retrain(evidence)
    passed = retrain.version is not None
    summary = (
        f"registered version {retrain.version} as challenger"
        if passed
        else f"gate {retrain.failed_gate!r} failed: nothing registered"
    )
    report.stage("retrain", passed, summary, asdict(retrain))
    if not passed:
        report.finish("retrain_rejected", stages.champion())
        return
    assert retrain.version is not None
    report.challenger_version = retrain.version

    canary = stages.canary(retrain.version)
    failed = [s for s in canary.steps if s.get("verdict") != "pass"]
    summary = canary.outcome + (f" at step {failed[0]['step']}" if failed else "")
    report.stage("canary", canary.passed, summary, asdict(canary))
    if canary.passed:
        reason = f"{report.run_id}: drift {evidence.drifted} -> canary passed all steps"
        done = stages.promote(retrain.version, reason)
        report.stage("promote", bool(done.get("passed", True)), done.get("summary", ""), done)
        report.finish("promoted", stages.champion())
    else:
        why = "; ".join(failed[0].get("reasons", [])) if failed else "canary did not pass"
        done = stages.roll_back(retrain.version, f"{report.run_id}: canary failed: {why}")
        report.stage("rollback", True, done.get("summary", ""), done)
        report.finish("rolled_back", stages.champion())
