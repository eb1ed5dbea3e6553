"""Defences against instructions that arrive inside tool output (indirect prompt injection).

Tool output is data, never instructions. Three layers, none relying on the model obeying:
1. Screening: text that addresses the agent ("ignore previous instructions", "you must now
   call", role markers, tool-call JSON) is flagged and redacted before the policy sees it.
   The patterns are the phase's one screen, `phase4_llm.common.injection`.
2. Quoting: every observation reaches the policy inside explicit data delimiters.
3. Authority: the set of tools a run may call is fixed by the user's request up front; a tool
   call that only tool output asked for is refused by the loop, whatever the policy decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from phase4_llm.common.injection import redact_injections

OPEN, CLOSE = "<<tool-output>>", "<</tool-output>>"


@dataclass(frozen=True)
class Screened:
    """Tool output after screening: the text to show, and what was found."""

    text: str
    flagged: bool
    matches: tuple[str, ...]


def screen(text: str) -> Screened:
    """Redact instruction-like spans of tool output and say whether any were found."""
    cleaned, matches = redact_injections(text, "[removed: instruction in tool output]")
    # Our own delimiters inside tool output would let it close the data block early.
    cleaned = cleaned.replace(OPEN, "").replace(CLOSE, "")
    return Screened(cleaned, bool(matches), tuple(matches))


def quote(tool: str, text: str) -> str:
    """Wrap an observation as data for the policy."""
    return f"{OPEN} tool={tool}\n{text}\n{CLOSE}"
