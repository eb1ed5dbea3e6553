"""The attack report: `reports/attack.json` (everything) and `reports/attack.md` (for people)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_reports(report: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write attack.json and attack.md under `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "attack.json", out_dir / "attack.md"
    json_path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n")
    md_path.write_text(markdown(report))
    return json_path, md_path


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: a summary table, then each service's failures and figures."""
    lines = [
        "# Attack report",
        "",
        f"Profile `{report['profile']['name']}`, {report['started_at']}, git {report['git']}, "
        f"{report['machine']}. Load client: {report['load_client']}. "
        f"Verdict: **{'PASS' if report['passed'] else 'FAIL'}** "
        f"({report['seconds']} s).",
        "",
        "| service | examples | 5xx | bypasses | failures | violations | load 16 clients "
        "| load 64 clients | faults survived |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for s in report["services"].values():
        lines.append(
            f"| {s['service']} | {examples(s)} | {s['5xx']} | {s['bypasses']} "
            f"| {len(s['failures'])} | {len(s['violations'])} | {load_cell(s, 16)} "
            f"| {load_cell(s, 64)} | {faults_cell(s)} |"
        )
    lines += [
        "",
        "examples: schemathesis test cases + bad-input catalogue cases. Load cells: requests/s, "
        "p50 / p99 latency. Failures fail the run (5xx, metric growth, bypass, lost or torn "
        "write, poisoned batch, stall, crash, suite error); violations (schema conformance, "
        "a bad input answered 2xx) are reported only.",
    ]
    for s in report["services"].values():
        lines += ["", f"## {s['service']}", ""]
        st = s["schemathesis"]
        if st and "error" not in st:
            lines.append(
                f"- schemathesis: {st['cases']} cases, {st['requests']} requests over "
                f"{st['operations']} operations, {st['5xx']} 5xx"
            )
        lines.append(f"- bad-input catalogue: {s['catalogue'].get('cases', 0)} cases")
        for v in s["failures"]:
            lines.append(f"- **FAIL** ({v['kind']}) {v['probe']}: {v['detail']}")
        for v in s["verdicts"]:
            if v["passed"] and not v["probe"].startswith("catalogue"):
                lines.append(f"- pass: {v['probe']} {compact(v['figures'])}")
        for text in s["violations"][:15]:
            lines.append(f"- violation: {text}")
        if len(s["violations"]) > 15:
            lines.append(f"- ... and {len(s['violations']) - 15} more violations (attack.json)")
    return "\n".join(lines) + "\n"


def examples(section: dict[str, Any]) -> int:
    """Schemathesis cases plus catalogue cases of one service."""
    return int(section["schemathesis"].get("cases", 0)) + int(section["catalogue"].get("cases", 0))


def load_cell(section: dict[str, Any], clients: int) -> str:
    for run in section["load"]:
        if run["clients"] == clients:
            return f"{run['rps']:.0f} rps, {run['p50_ms']:.0f} / {run['p99_ms']:.0f} ms"
    return "-"


def faults_cell(section: dict[str, Any]) -> str:
    faults = section.get("faults", [])
    if not faults:
        return "-"
    return f"{sum(f['survived'] for f in faults)} of {len(faults)}"


def compact(figures: dict[str, Any]) -> str:
    """Scalar figures as `key=value`, for one line of the report."""
    keep = {k: v for k, v in figures.items() if isinstance(v, int | float | str) and v != ""}
    return "(" + ", ".join(f"{k}={v}" for k, v in list(keep.items())[:6]) + ")" if keep else ""
