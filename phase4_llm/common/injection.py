"""The one prompt-injection screen of the project: instruction-like spans in untrusted text.

Untrusted text (retrieved documents, tool output, user queries that try to take over) is data,
never instructions. This module only *finds* the spans; each caller decides what to do with
them: the RAG service refuses such queries and cuts such sentences out of documents, the agent
redacts them from tool output, and phase 5's security service reports them. Keeping one list
means a pattern added for one attack protects every entry point.

Text is NFKC-normalised and stripped of zero-width characters first, so look-alike and
invisible-character tricks meet the same patterns.
"""

from __future__ import annotations

import re
import unicodedata

INJECTION_PATTERNS = [
    r"(ignore|disregard|forget|override|bypass)\b.{0,40}\b"
    r"(instructions?|prompts?|rules|guidelines|context|above|directions)",
    r"\b(system|developer|hidden|secret|initial)\s+(prompt|instructions?|message)",
    r"\byou are now\b|\bact as\b|\bpretend (to be|you are)\b|\bfrom now on\b",
    r"\b(respond|reply|answer|output|print|say|write)\b.{0,30}\b(only|exactly|verbatim)\b",
    r"^[ \t]*(system|assistant|developer|user)[ \t]*:",  # not \s*: "\n"*n is quadratic
    r"<\|?\s*(im_start|im_end|system|endoftext|assistant)\s*\|?>|\[/?INST\]|<</?SYS>>",
    r"\b(reveal|leak|show|print|repeat|dump|expose)\b.{0,30}"
    r"\b(prompt|instructions?|api[ _-]?keys?|secrets?|password|credentials)",
    r"\bdo not (tell|inform|mention|cite)\b",
    r"\bjailbreak\b|\bDAN mode\b|\bdeveloper mode\b",
    r"\b(new|updated|real|actual) (system )?(task|instructions?|rules?)\s*[:\-]",
    # Aimed at agents: orders to call a tool, and tool-call JSON smuggled into data.
    r"\byou (must|should|will) (now )?(call|run|execute|use|invoke)\b",
    r"\"(tool|function|name)\"\s*:\s*\"\w+\"\s*,\s*\"(arguments|args)\"",
]
_COMPILED = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in INJECTION_PATTERNS]
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


def normalise(text: str) -> str:
    """NFKC and without zero-width characters, so look-alike tricks meet the patterns."""
    return _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))


def injection_matches(text: str) -> list[str]:
    """The instruction-like spans found in `text` (after `normalise`)."""
    clean = normalise(text)
    return [m.group(0) for p in _COMPILED for m in p.finditer(clean)]


def redact_injections(text: str, replacement: str) -> tuple[str, list[str]]:
    """`text` (normalised) with every instruction-like span replaced; and the spans found."""
    cleaned = normalise(text)
    found: list[str] = []
    for pattern in _COMPILED:
        hits = [m.group(0) for m in pattern.finditer(cleaned)]
        if hits:
            found.extend(hits)
            cleaned = pattern.sub(replacement, cleaned)
    return cleaned, found


def strip_injections(text: str) -> tuple[str, bool]:
    """`text` with every sentence that carries an instruction removed; and whether any did."""
    clean = normalise(text)
    if not injection_matches(clean):
        return clean, False
    kept_lines = []
    for line in clean.split("\n"):
        parts = re.split(r"(?<=[.!?])\s+", line)
        kept_lines.append(" ".join(s for s in parts if not injection_matches(s)))
    return "\n".join(kept_lines), True
