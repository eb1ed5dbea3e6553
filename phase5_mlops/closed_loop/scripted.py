"""Scripted stages: the loop's decisions without processes or a store (tests, parity, dry runs).

The registry is a dict of aliases and every stage returns what it was told to, so each
branch of `decision.run_loop` can be driven in milliseconds and its effects read back.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from phase5_mlops.closed_loop.decision import CanaryOutcome, DriftEvidence, RetrainOutcome
from phase5_mlops.deploy.analysis import StepAnalysis
from phase5_mlops.registry.alias_history import new_event

DRIFT = DriftEvidence(["body_mass_g", "island"], {"body_mass_g": 0.6, "island": 0.2}, 2 / 6, 300)
CALM = DriftEvidence([], {"body_mass_g": 0.01, "island": 0.02}, 0.0, 300)


def step(step: int, weight: int, reasons: tuple[str, ...] = ()) -> dict[str, Any]:
    """One canary step as the controller records it (failing when `reasons` are given)."""
    rate = 0.95 if reasons else 1.0
    verdict = "fail" if reasons else "pass"
    analysis = StepAnalysis(step, weight, 20, rate, rate, 0.05, 0.06, 0.01, verdict, list(reasons))
    return analysis.to_dict()


PASSED = CanaryOutcome("promoted", [step(i, w) for i, w in enumerate((10, 25, 50, 100), 1)])
FAILED = CanaryOutcome("rolled_back", [step(1, 10, ("success rate 0.95 < 0.99",))])


class ScriptedStages:
    """Stages that follow a script; `calls` lists the stages that ran, in order."""

    def __init__(
        self,
        *,
        champion: str | None = "1",
        boot: str | None = "1",
        evidence: DriftEvidence = DRIFT,
        version: str | None = "2",
        canary: CanaryOutcome = PASSED,
    ) -> None:
        self.aliases = {"champion": champion} if champion else {}
        self.boot, self.evidence, self.version, self.result = boot, evidence, version, canary
        self.calls: list[str] = []
        self.reasons: list[str] = []

    def champion(self) -> str | None:
        return self.aliases.get("champion")

    def bootstrap(self) -> dict[str, Any]:
        self.calls.append("bootstrap")
        if self.boot:
            self.aliases["champion"] = self.boot
        return {"version": self.boot, "summary": "scripted"}

    def observe(self) -> DriftEvidence:
        self.calls.append("observe")
        return self.evidence

    def retrain(self, evidence: DriftEvidence) -> RetrainOutcome:
        self.calls.append("retrain")
        if self.version is None:
            gate = {"name": "quality", "passed": False, "message": "0.80 < 0.90"}
            return RetrainOutcome(None, [gate], "quality")
        self.aliases["challenger"] = self.version
        return RetrainOutcome(self.version, [{"name": "quality", "passed": True, "message": "ok"}])

    def canary(self, version: str) -> CanaryOutcome:
        self.calls.append("canary")
        return self.result

    def promote(self, version: str, reason: str) -> dict[str, Any]:
        self.calls.append("promote")
        self.reasons.append(reason)
        self.aliases["champion"] = version
        self.aliases.pop("challenger", None)
        return {"summary": reason}

    def roll_back(self, version: str, reason: str) -> dict[str, Any]:
        self.calls.append("roll_back")
        self.reasons.append(reason)
        self.aliases.pop("challenger", None)
        return {"summary": reason}

    def history(self) -> list[dict[str, Any]]:
        return [
            asdict(new_event(k, v, None, "set", "scripted", "test"))
            for k, v in self.aliases.items()
        ]
