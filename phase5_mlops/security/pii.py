"""Find and redact personal data: emails, phone numbers, payment cards, IBANs, IP addresses.

Patterns find candidates; checksums and parsers confirm them, which is what keeps precision
up: a 16-digit order number is not a card unless it passes Luhn, an IBAN must pass ISO 7064
mod 97, and an IP must parse with `ipaddress` (so a version string like 1.2.3.400 is not one).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from phase4_llm.evals.safety import luhn_valid  # one Luhn check, shared with the safety screen

# A match starts only where a local-part run starts (the look-behind): with `\b` instead, every
# letter after a dot of one long word was a fresh start and the scan was quadratic (a ReDoS).
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
PHONE = re.compile(
    r"(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d{1,5}"
    r"(?:[ .-]\d{2,6}){1,5}(?![\w.-]\d)(?!\w)"
)
DATE = re.compile(r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$")
IBAN_LENGTHS = {
    "DE": 22,
    "GB": 22,
    "FR": 27,
    "NL": 18,
    "ES": 24,
    "IT": 27,
    "BE": 16,
    "CH": 21,
    "AT": 20,
    "IE": 22,
    "PL": 28,
    "SE": 24,
    "DK": 18,
    "NO": 15,
    "FI": 18,
    "PT": 25,
}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its kind and character span."""

    kind: str
    start: int
    end: int
    text: str


def iban_valid(candidate: str) -> bool:
    """ISO 13616 IBAN: known country length and mod-97 remainder 1."""
    iban = candidate.replace(" ", "").upper()
    if len(iban) != IBAN_LENGTHS.get(iban[:2], -1):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def find_pii(text: str) -> list[Finding]:
    """Every confirmed finding, longest first where two overlap, in text order."""
    found: list[Finding] = []

    def add(kind: str, match: re.Match[str]) -> None:
        found.append(Finding(kind, match.start(), match.end(), match.group(0)))

    for m in EMAIL.finditer(text):
        add("EMAIL", m)
    for m in IBAN.finditer(text):
        if iban_valid(m.group(0)):
            add("IBAN", m)
    for m in CARD.finditer(text):
        if luhn_valid(m.group(0)):
            add("CARD", m)
    for m in IPV4.finditer(text):
        if _parses(m.group(0), ipaddress.IPv4Address):
            add("IP", m)
    for m in IPV6.finditer(text):
        if m.group(0).count(":") >= 2 and _parses(m.group(0), ipaddress.IPv6Address):
            add("IP", m)
    for m in PHONE.finditer(text):
        digits = sum(c.isdigit() for c in m.group(0))
        if 7 <= digits <= 15 and not DATE.match(m.group(0)):
            add("PHONE", m)
    return _without_overlaps(found)


def redact(text: str) -> str:
    """Replace every finding by its kind in brackets, e.g. `[EMAIL]`."""
    out, last = [], 0
    for f in find_pii(text):
        out.append(text[last : f.start])
        out.append(f"[{f.kind}]")
        last = f.end
    out.append(text[last:])
    return "".join(out)


def _parses(text: str, kind: type) -> bool:
    try:
        kind(text)
    except ValueError:
        return False
    return True


# When spans overlap, checksummed kinds beat the loose phone pattern, then longer beats shorter.
_PRIORITY = {"EMAIL": 0, "IBAN": 1, "CARD": 2, "IP": 3, "PHONE": 4}


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start))):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
