"""Abuse screens: prompt-injection patterns in documents and queries, PII redaction in answers.

Documents are data: instruction-like spans are cut out before indexing (so they can never be
quoted or reach a model) and the document is flagged. Queries that carry instructions are
refused. Answers pass a PII redactor (emails, phone numbers, card numbers with a Luhn check,
US SSNs, IPv4 addresses, IBANs) before they leave the service.
"""

from __future__ import annotations

import re

from phase4_llm.common.injection import (  # the phase's one injection screen
    INJECTION_PATTERNS,
    injection_matches,
    normalise,
    strip_injections,
)

__all__ = ["INJECTION_PATTERNS", "injection_matches", "normalise", "redact_pii", "strip_injections"]

PII_PATTERNS = {
    # The look-behind makes a match start only where a local-part run starts: without it every
    # position of one long word is a fresh start, and the scan is quadratic (a ReDoS).
    "EMAIL": r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
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
