"""Schemathesis against a running service: every check, a bounded number of examples.

The `schemathesis run` CLI runs in a subprocess (its own working directory, so its example
database never lands in the repository) and writes its JSON and NDJSON reports; `summarise`
reads them back: test cases generated, requests sent, 5xx answers, and the failures of the
other checks (reported as violations; only 5xx fail the suite).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from phase5_mlops.security.attack.verdicts import Verdict


def run_schemathesis(
    url: str,
    headers: dict[str, str],
    out_dir: Path,
    *,
    max_examples: int,
    timeout_s: float,
    phases: str = "examples,coverage,fuzzing,stateful",
    seed: int = 0,
) -> dict[str, Any]:
    """Run every check with `max_examples` per operation; the summary of its reports."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        url + "/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(max_examples),
        "--phases",
        phases,
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--continue-on-failure",
        "--generation-database",
        "none",
        "--request-timeout",
        "60",
        "--no-color",
        "--report",
        "json,ndjson",
        "--report-json-path",
        str(out_dir / "run.json"),
        "--report-ndjson-path",
        str(out_dir / "events.ndjson"),
    ]
    for name, value in headers.items():
        cmd += ["--header", f"{name}: {value}"]
    try:
        proc = subprocess.run(
            cmd, cwd=out_dir, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"schemathesis did not finish within {timeout_s} s"}
    (out_dir / "output.txt").write_text(proc.stdout[-20_000:] + proc.stderr[-5_000:])
    if not (out_dir / "run.json").exists():
        return {"error": f"schemathesis exited {proc.returncode} without a report"}
    return summarise(
        json.loads((out_dir / "run.json").read_text()),
        (out_dir / "events.ndjson").read_text().splitlines(),
    )


def summarise(run: dict[str, Any], events: list[str]) -> dict[str, Any]:
    """Cases, requests, 5xx and violations from schemathesis' JSON report and NDJSON events."""
    statuses: list[int] = []
    for line in events:
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        for interaction in (finished["recorder"].get("interactions") or {}).values():
            response = interaction.get("response")
            statuses.append(int(response["status_code"]) if response else 0)
    violations = [
        f"{f['code']} {f['title']}: {f['count']} ({', '.join(f['operations'][:4])})"
        for f in run.get("failures", [])
        if f.get("type") != "ServerError"
    ]
    return {
        "cases": int(run.get("test_cases", {}).get("generated", 0)),
        "requests": len(statuses),
        "5xx": sum(1 for s in statuses if 500 <= s <= 599),
        "no_answer": sum(1 for s in statuses if s == 0),
        "operations": int(run.get("operations", {}).get("tested", 0)),
        "errors": [str(e)[:200] for e in run.get("errors", [])],
        "violations": violations,
    }


def verdicts(summary: dict[str, Any]) -> list[Verdict]:
    """5xx from fuzzing fail the suite; a run that did not complete is a suite error."""
    if "error" in summary:
        return [Verdict("schemathesis", False, "suite_error", summary["error"])]
    n = summary["5xx"]
    return [
        Verdict(
            "schemathesis (all checks)",
            n == 0,
            "5xx" if n else "",
            f"{n} of {summary['requests']} fuzzed requests got a 5xx" if n else "",
            {k: summary[k] for k in ("cases", "requests", "5xx", "operations")},
        )
    ]
