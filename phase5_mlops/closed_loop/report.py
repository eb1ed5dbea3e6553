"""The record of one loop run: each stage's evidence, the decision, the alias history;
written as `report.json` and a markdown timeline `report.md`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

EXIT_CODES = {"promoted": 0, "no_drift": 0, "retrain_rejected": 2, "rolled_back": 3}
HISTORY_EXCERPT = 8


@dataclass
class LoopReport:
    """What the loop did, stage by stage, and where it ended."""

    run_id: str
    config: dict[str, Any]
    started: str = field(default_factory=lambda: _now())
    finished: str | None = None
    outcome: str = "running"
    champion_before: str | None = None
    champion_after: str | None = None
    challenger_version: str | None = None
    stages: list[dict[str, Any]] = field(default_factory=list)
    alias_history: list[dict[str, Any]] = field(default_factory=list)

    def stage(self, name: str, passed: bool, summary: str, evidence: dict[str, Any]) -> None:
        """Record one stage with the evidence it was decided on."""
        self.stages.append(
            {"name": name, "at": _now(), "passed": passed, "summary": summary, "evidence": evidence}
        )

    def finish(self, outcome: str, champion_after: str | None) -> None:
        self.outcome, self.champion_after, self.finished = outcome, champion_after, _now()

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.outcome, 1)

    def evidence(self, name: str) -> dict[str, Any]:
        """The evidence of the stage called `name` (empty when it did not run)."""
        return next((s["evidence"] for s in self.stages if s["name"] == name), {})

    def write(self, folder: Path) -> tuple[Path, Path]:
        """`report.json` and `report.md` in `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        as_json, as_md = folder / "report.json", folder / "report.md"
        as_json.write_text(json.dumps(asdict(self), indent=2, default=str))
        as_md.write_text(self.markdown())
        return as_json, as_md

    def markdown(self) -> str:
        """The timeline: one section per stage with its evidence, then the alias history."""
        lines = [
            f"### Loop run `{self.run_id}`: **{self.outcome}**",
            "",
            f"- started {self.started}, finished {self.finished}",
            f"- champion before: v{self.champion_before}; after: v{self.champion_after}; "
            f"challenger: {_v(self.challenger_version)}",
            "",
            "| # | stage | at | go on | summary |",
            "|---|---|---|---|---|",
        ]
        for i, s in enumerate(self.stages, 1):
            ok = "yes" if s["passed"] else "**no**"
            lines.append(f"| {i} | {s['name']} | {s['at'][11:19]} | {ok} | {s['summary']} |")
        for s in self.stages:
            lines += ["", f"#### {s['name']}", "", *_evidence_lines(s["name"], s["evidence"])]
        lines += [
            "",
            "#### alias history (last events)",
            "",
            "| at | alias | version | previous | action | reason |",
            "|---|---|---|---|---|---|",
        ]
        for e in self.alias_history[-HISTORY_EXCERPT:]:
            lines.append(
                f"| {e['at'][11:23]} | {e['alias']} | {_v(e['version'])} | {_v(e['previous'])} "
                f"| {e['action']} | {e['reason'][:90]} |"
            )
        return "\n".join(lines) + "\n"


def _evidence_lines(name: str, ev: dict[str, Any]) -> list[str]:
    if name == "monitor":
        rows = ["| column | test | statistic | drifted | PSI |", "|---|---|---|---|---|"]
        for c in ev.get("detail", {}).get("columns", []):
            psi = ev["psi"].get(c["column"], float("nan"))
            rows.append(
                f"| {c['column']} | {c['test']} | {c['statistic']:.4g} | "
                f"{'**yes**' if c['drifted'] else 'no'} | {psi:.3f} |"
            )
        head = f"- window: {ev.get('window_rows')} logged predictions of the champion; "
        head += f"drifted share {ev.get('drifted_share', 0):.2f}"
        return [head, "", *rows]
    if name == "retrain":
        rows = ["| gate | passed | result |", "|---|---|---|"]
        rows += [
            f"| {g['name']} | {'yes' if g['passed'] else '**no**'} | {g['message']} |"
            for g in ev.get("gates", [])
        ]
        extra = ev.get("detail", {}).get("nightly_drift_gate")
        note = [f"- against the training pool instead (the nightly's reference): {extra}"]
        return [*rows, "", *(note if extra else [])]
    if name == "canary":
        rows = [
            "| step | weight | canary req | success (router/svc) | p99 svc (s) | PSI | verdict |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in ev.get("steps", []):
            why = f" ({'; '.join(s['reasons'])})" if s.get("reasons") else ""
            rows.append(
                f"| {s['step']} | {s['weight']} % | {s['canary_requests']} | "
                f"{s['router_success_rate']:.4f} / {s['service_success_rate']:.4f} | "
                f"{s['service_p99_s']:.3f} | {s['psi']:.3f} | {s['verdict']}{why} |"
            )
        rows += ["", *[f"- {e}" for e in ev.get("events", [])]]
        detail = ev.get("detail", {})
        for key in ("load", "champion_via_router", "router_after_canary", "green_served_from"):
            if key in detail:
                rows.append(f"- {key.replace('_', ' ')}: {json.dumps(detail[key], default=str)}")
        return rows
    return [f"- {k}: {json.dumps(v, default=str)}" for k, v in ev.items() if k != "summary"]


def _v(version: str | None) -> str:
    return "none" if version is None else f"v{version}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
