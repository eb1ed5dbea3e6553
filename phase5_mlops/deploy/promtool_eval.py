"""Evaluate PromQL offline with Prometheus' own engine, through `promtool test rules`.

promtool has no offline query command, but its rule unit tests evaluate any expression
over synthetic series. We ask for a sentinel value that cannot match; promtool then prints
the value it computed (`got:`), which we read back. `promtool check rules` alone validates
syntax; this also proves the queries compute what the local analysis computes.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

SENTINEL = -12345.678
GOT = re.compile(r'expr: "(?P<expr>.*?)", time: .*?\n\s+exp: .*?\n\s+got: (?P<got>[^\n]*)', re.S)


def promtool_path() -> str | None:
    """The promtool binary, or None when Prometheus' tools are not installed."""
    return shutil.which("promtool")


def promtool_version() -> str:
    """`promtool X.Y.Z` as the binary reports it."""
    out = subprocess.run(
        [promtool_path() or "promtool", "--version"], capture_output=True, text=True
    )
    match = re.search(r"version (\S+)", out.stdout + out.stderr)
    return f"promtool {match.group(1) if match else '?'}"


def evaluate(
    queries: dict[str, str], series: dict[str, list[float]], at_minute: int, timeout: float = 60
) -> dict[str, float]:
    """The value of each (single-sample) query at `at_minute`, over per-minute `series`.

    `series` maps a series selector (`name{label="v"}`) to its values at minutes 0, 1, ...
    An empty result is NaN. Raises RuntimeError when promtool rejects a query.
    """
    tool = promtool_path()
    if tool is None:
        raise FileNotFoundError("promtool is not installed (Debian package `prometheus`)")
    with tempfile.TemporaryDirectory(prefix="promtool-") as tmp:
        rules = Path(tmp) / "rules.yml"
        # check rules needs at least one rule; a recording rule per query also checks syntax.
        rules.write_text(
            yaml.safe_dump(
                {
                    "groups": [
                        {
                            "name": "analysis",
                            "rules": [
                                {"record": f"q{i}:value", "expr": q}
                                for i, q in enumerate(queries.values())
                            ],
                        }
                    ]
                }
            )
        )
        test = {
            "rule_files": [rules.name],
            "evaluation_interval": "1m",
            "tests": [
                {
                    "interval": "1m",
                    "input_series": [
                        {"series": s, "values": " ".join(_fmt(v) for v in values)}
                        for s, values in series.items()
                    ],
                    "promql_expr_test": [
                        {
                            "expr": q,
                            "eval_time": f"{at_minute}m",
                            "exp_samples": [{"labels": "{}", "value": SENTINEL}],
                        }
                        for q in queries.values()
                    ],
                }
            ],
        }
        test_file = Path(tmp) / "test.yml"
        test_file.write_text(yaml.safe_dump(test, width=10_000))
        out = subprocess.run(
            [tool, "test", "rules", test_file.name],
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    text = out.stdout + out.stderr
    got = {m.group("expr").replace('\\"', '"'): m.group("got") for m in GOT.finditer(text)}
    if len(got) != len(queries):
        raise RuntimeError(f"promtool did not evaluate every query:\n{text}")
    return {name: _value(got[q]) for name, q in queries.items()}


def _value(got: str) -> float:
    match = re.search(r"\}\s+(\S+)\s*$", got)
    return float(match.group(1)) if match else math.nan


def _fmt(v: float) -> str:
    return repr(float(v)) if not math.isinf(v) else ("Inf" if v > 0 else "-Inf")
