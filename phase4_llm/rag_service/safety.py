"""Abuse screens: prompt-injection patterns in documents and queries, PII redaction in answers.

Documents are data: instruction-like spans are cut out before indexing (so they can never be
quoted or reach a model) and the document is flagged. Queries that carry instructions are
refused. Answers pass a PII redactor (emails, phone numbers, card numbers with a Luhn check,
US SSNs, IPv4 addresses, IBANs) before they leave the service.
"""

from __future__ import annotations

import re
import unicodedata

INJECTION_PATTERNS = [
    r"(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|prompts?|rules|guidelines|context|above|directions)",
    r"\b(system|developer|hidden|secret|initial)\s+(prompt|instructions?|message)",
    r"\byou are now\b|\bact as\b|\bpretend (to be|you are)\b|\bfrom now on\b",
    r"\b(respond|reply|answer|output|print|say|write)\b.{0,30}\b(only|exactly|verbatim)\b",
    r"^\s*(system|assistant|developer|user)\s*:",
    r"<\|?\s*(im_start|im_end|system|endoftext|assistant)\s*\|?>|\[/?INST\]|<</?SYS>>",
    r"\b(reveal|leak|show|print|repeat|dump|expose)\b.{0,30}"
    r"\b(prompt|instructions?|api[ _-]?keys?|secrets?|password|credentials)",
    r"\bdo not (tell|inform|mention|cite)\b",
    r"\bjailbreak\b|\bDAN mode\b|\bdeveloper mode\b",
    r"\b(new|updated|real|actual) (task|instructions?|rules?)\s*[:\-]",
]
_INJECTION = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in INJECTION_PATTERNS]
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


def normalise(text: str) -> str:
    """NFKC and without zero-width characters, so look-alike tricks meet the patterns."""
    return _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))


def injection_matches(text: str) -> list[str]:
    """The instruction-like spans found in `text`."""
    clean = normalise(text)
    return [m.group(0) for p in _INJECTION for m in p.finditer(clean)]


def strip_injections(text: str) -> tuple[str, bool]:
    """`text` with every sentence that carries an instruction removed; and whether any did."""
    clean = normalise(text)
    if not injection_matches(clean):
        return clean, False
    kept_lines = []
    for line in clean.split("\n"):
        parts = re.split(r"(?<=[.!?])\s+", line)
        kept = [s for s in parts if not injection_matches(s)]
        kept_lines.append(" ".join(kept))
    return "\n".join(kept_lines), True


PII_PATTERNS = {
    "EMAIL": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    "IBAN": r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b",
    "SSN": r"\b\d{3}-\d{2}-\d{4}\b",
    "CARD": r"\b\d(?:[ -]?\d){12,18}\b",
    "PHONE": r"(?<![\w$£€.,])(?:\+\d{1,3}[ .-]?)?(?:\(?\d{2,5}\)?[ .-]){0,2}\d{3,4}[ .-]\d{3,4}\b",
    "IP": r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b",
}


def redact_pii(text: str) -> tuple[str, int]:
    """Replace personal data with `[EMAIL]`-style tags; return the text and the count."""
    count = 0

    def sub(kind: str):  # type: ignore[no-untyped-def]
        def repl(m: re.Match[str]) -> str:
            nonlocal count
            digits = re.sub(r"\D", "", m.group(0))
            if (kind == "CARD" and not _luhn(digits)) or (kind == "PHONE" and len(digits) < 9):
                return m.group(0)  # years, ranges and figures are not phone or card numbers
            count += 1
            return f"[{kind}]"

        return repl

    for kind, pattern in PII_PATTERNS.items():
        text = re.sub(pattern, sub(kind), text)
    return text, count


def _luhn(digits: str) -> bool:
    """Luhn checksum: `_luhn("4111111111111111") is True`."""
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0
