"""Defences against instructions that arrive inside tool output (indirect prompt injection).

Tool output is data, never instructions. Three layers, none relying on the model obeying:
1. Screening: text that addresses the agent ("ignore previous instructions", "you must now
   call", role markers, tool-call JSON) is flagged and redacted before the policy sees it.
2. Quoting: every observation reaches the policy inside explicit data delimiters.
3. Authority: the set of tools a run may call is fixed by the user's request up front; a tool
   call that only tool output asked for is refused by the loop, whatever the policy decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PATTERNS = [
    r"ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|messages|rules)",
    r"disregard (all |any )?(the )?(previous|prior|above|system) (instructions|prompt|rules)",
    r"forget (everything|all|your) (instructions|rules|above)",
    r"you (must|should|will) (now )?(call|run|execute|use|invoke) ",
    r"(new|updated|real) (system )?instructions?:",
    r"^\s*(system|assistant|developer)\s*:",
    r"<\|?(im_start|system|endoftext)\|?>",
    r"\"(tool|function|name)\"\s*:\s*\"\w+\"\s*,\s*\"(arguments|args)\"",
    r"(reveal|print|show|leak) (the |your )?(system prompt|instructions|api key|secrets?)",
    r"do not (tell|inform) the user",
]
_COMPILED = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in PATTERNS]
OPEN, CLOSE = "<<tool-output>>", "<</tool-output>>"


@dataclass(frozen=True)
class Screened:
    """Tool output after screening: the text to show, and what was found."""

    text: str
    flagged: bool
    matches: tuple[str, ...]


def screen(text: str) -> Screened:
    """Redact instruction-like spans of tool output and say whether any were found."""
    matches: list[str] = []
    cleaned = text
    for pattern in _COMPILED:
        found = [m.group(0) for m in pattern.finditer(cleaned)]
        if found:
            matches.extend(found)
            cleaned = pattern.sub("[removed: instruction in tool output]", cleaned)
    # Our own delimiters inside tool output would let it close the data block early.
    cleaned = cleaned.replace(OPEN, "").replace(CLOSE, "")
    return Screened(cleaned, bool(matches), tuple(matches))


def quote(tool: str, text: str) -> str:
    """Wrap an observation as data for the policy."""
    return f"{OPEN} tool={tool}\n{text}\n{CLOSE}"
