"""Prove that patterns applied to user text run in linear time: scan hostile inputs of growing
size in a child process under a CPU-time limit (`RLIMIT_CPU`), never a wall-clock assert.

A backtracking pattern with an unanchored unbounded run (`[a-z.]+@...` on one long word) costs
O(n^2) per scan: 10^10 steps at 100k characters, far past any limit set here, while a linear
pattern scans 1M characters in well under a second of CPU. The child prints which pattern and
size it is on, so a kill names the culprit.
"""

from __future__ import annotations

import importlib
import json
import re
import resource
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

# Repeated units built from the characters the project's patterns care about (word runs, dots,
# at-signs, digits and separators, colons, brackets, markup, line breaks). A final "!" makes
# every pattern that needs a particular ending fail at the very end, the worst case.
ADVERSARIAL_UNITS = (
    "a",
    "a.",
    "a-",
    "a@",
    "@a",
    "a@a.",
    "1",
    "1.",
    "1 ",
    "1-",
    "12 ",
    "+1 ",
    "(12)",
    "0:",
    "a:",
    " ",
    "\n",
    " \n",
    "[a](",
    "[",
    "AB12 ",
    "<a ",
    "ignore ",
    "system ",
    "ab'",
    "_",
    "a ",
    "a-b",
    "<!--",
    "&shy;",
    "act as ",
    '"name": "',
)


def hostile_texts(size: int) -> Iterator[tuple[str, str]]:
    """(unit, text) pairs: each unit repeated to `size` characters, then one "!"."""
    for unit in ADVERSARIAL_UNITS:
        yield unit, (unit * (size // len(unit) + 1))[:size] + "!"


def load_patterns(specs: list[str]) -> dict[str, re.Pattern[str]]:
    """Compiled patterns named by "module:attribute" (a pattern, a str, or a list/dict of them)."""
    out: dict[str, re.Pattern[str]] = {}
    for spec in specs:
        module, attr = spec.split(":")
        value = getattr(importlib.import_module(module), attr)
        items = value.items() if isinstance(value, dict) else enumerate(_as_list(value))
        for key, pat in items:
            out[f"{spec}[{key}]"] = pat if isinstance(pat, re.Pattern) else re.compile(pat)
    return out


def scan_all(specs: list[str], sizes: list[int], flags: int = 0) -> None:
    """Run every pattern over every hostile text (the child's job); print progress lines."""
    patterns = load_patterns(specs)
    for size in sizes:
        for name, pat in patterns.items():
            print(json.dumps({"pattern": name, "size": size}), flush=True)
            compiled = re.compile(pat.pattern, pat.flags | flags) if flags else pat
            for _, text in hostile_texts(size):
                for _ in compiled.finditer(text):
                    pass
    print("done", flush=True)


@dataclass
class LimitedRun:
    """The child's exit status, whether it finished, and the last thing it was doing."""

    returncode: int
    finished: bool
    last: str
    stderr: str


def run_cpu_limited(code: str, cpu_seconds: int, wall_timeout: float = 900.0) -> LimitedRun:
    """Run Python `code` in a child killed by the kernel after `cpu_seconds` of CPU time.

    `wall_timeout` only stops a child that hangs without using CPU; it asserts nothing.
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))

    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=wall_timeout,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    last = lines[-1] if lines else ""
    return LimitedRun(proc.returncode, last == "done", last, proc.stderr[-2000:])


def _as_list(value: object) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]
