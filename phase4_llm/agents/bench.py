"""Benchmark: what safety costs. A validated, audited tool call vs a direct call, and a
sandboxed program vs a plain subprocess, at three sizes of work."""

from __future__ import annotations

import subprocess
import sys
from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes
from phase4_llm.agents.sandbox import run_python
from phase4_llm.agents.toolbox import calculate, example_registry
from phase4_llm.agents.tools import ToolRegistry


def _registry_calls(reg: ToolRegistry, n: int) -> None:
    for i in range(n):
        reg.call("calculator", {"expression": f"{i} * 3 + 1"})


def _direct_calls(n: int) -> None:
    for i in range(n):
        calculate(f"{i} * 3 + 1")


def _plain(code: str) -> None:
    subprocess.run([sys.executable, "-I", "-S", "-c", code], check=True, capture_output=True)


def run(quick: bool = False) -> list[BenchRow]:
    """Tool-call overhead at 10/100/1000 calls; sandbox start-up at three program sizes."""
    rows = []
    for n in sizes(quick, full=(10, 100, 1000), small=(10, 50, 200)):
        rows.append(
            compare(
                "validated + audited tool call",
                n,
                partial(_registry_calls, example_registry(), n),
                partial(_direct_calls, n),
                reference="direct function call",
                repeats=3,
            )
        )
    for n in (10**3, 10**5, 10**6) if not quick else (10**3, 10**4, 10**5):
        code = f"print(sum(range({n})))"
        out = run_python(code)
        rows.append(
            compare(
                "sandboxed python program",
                n,
                partial(run_python, code),
                partial(_plain, code),
                reference="plain subprocess",
                repeats=3,
                quality={"ok": out.ok},
            )
        )
    return rows
