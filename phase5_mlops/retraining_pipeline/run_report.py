"""The record of one nightly run: every gate's outcome, the versions before and after,
written as `report.json` and `report.md` in the run's folder."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from phase5_mlops.retraining_pipeline.gates import GateResult

EXIT_CODES = {"promoted": 0, "rejected": 2, "rolled_back": 3}


@dataclass
class RunReport:
    """What a run did and why."""

    run_id: str
    config: dict[str, Any]
    started: str = field(default_factory=lambda: _now())
    finished: str | None = None
    outcome: str = "running"  # promoted, rejected or rolled_back
    failed_gate: str | None = None
    champion_before: str | None = None
    champion_after: str | None = None
    challenger_version: str | None = None
    gates: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)

    def gate(self, result: GateResult) -> bool:
        """Record a gate; True when it passed."""
        self.gates.append(result.to_dict())
        if not result.passed and self.failed_gate is None:
            self.failed_gate = result.name
        return result.passed

    def step(self, name: str, **info: Any) -> None:
        """Record a step that is not a gate (ingest, train, register, promote, rollback)."""
        self.steps.append({"name": name, "at": _now(), **info})

    def finish(self, outcome: str, champion_after: str | None) -> RunReport:
        self.outcome, self.champion_after, self.finished = outcome, champion_after, _now()
        return self

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.outcome, 1)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def write(self, folder: Path) -> tuple[Path, Path]:
        """`report.json` and `report.md` in `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        as_json = folder / "report.json"
        as_json.write_text(json.dumps(self.to_dict(), indent=2, default=str))
        as_md = folder / "report.md"
        as_md.write_text(self.markdown())
        return as_json, as_md

    def markdown(self) -> str:
        """A human summary: outcome, versions, one row per gate."""
        lines = [
            f"# Nightly retraining `{self.run_id}`: **{self.outcome}**",
            "",
            f"- started {self.started}, finished {self.finished}",
            f"- champion before: {self.champion_before}; after: {self.champion_after}",
            f"- challenger version: {self.challenger_version}",
            f"- failed gate: {self.failed_gate or 'none'}",
            "",
            "| gate | passed | result |",
            "|---|---|---|",
        ]
        for g in self.gates:
            lines.append(f"| {g['name']} | {'yes' if g['passed'] else '**no**'} | {g['message']} |")
        lines += ["", "| step | at | detail |", "|---|---|---|"]
        for s in self.steps:
            extra = {k: v for k, v in s.items() if k not in {"name", "at"}}
            lines.append(f"| {s['name']} | {s['at']} | {json.dumps(extra, default=str)} |")
        return "\n".join(lines) + "\n"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
