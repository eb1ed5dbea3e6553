"""The security checks that compute something, the idea only: a token bucket per key, the
Luhn and IBAN checksums that confirm PII candidates, and the entropy that flags secrets.

Pure functions over plain values. The full version adds the service around them: Redis so
every replica shares one bucket (`ratelimit.py`), regex candidates, overlaps and redaction
(`pii.py`), the repository walk (`secrets_scan.py`), hashed scoped keys (`apikeys.py`).
"""

from __future__ import annotations

import math
from collections import Counter


def token_bucket(events: list[tuple[float, str]], rate: float, burst: float) -> list[float]:
    """For each (time s, key) request: 0.0 when allowed, else the seconds to wait.

    Each key has a bucket that starts full with `burst` tokens and refills at `rate` tokens
    per second, never above `burst`. A request takes one token; without a whole token it is
    refused and told how long until there is one. A refused request still records the refill.
    Hint: per key keep (tokens, last time); refill by (now - last) * rate, capped at burst.
    """
    buckets: dict[str, tuple[float, float]] = {}
    waits = []
    for now, key in events:
        tokens, last = buckets.get(key, (burst, now))
        tokens = min(burst, tokens + (now - last) * rate)
        if tokens >= 1.0:
            buckets[key] = (tokens - 1.0, now)
            waits.append(0.0)
        else:
            buckets[key] = (tokens, now)
            waits.append((1.0 - tokens) / rate)
    return waits


def luhn_valid(number: str) -> bool:
    """The Luhn checksum of a card number of 13-19 digits (spaces and dashes ignored).

    From the rightmost digit, double every second digit (subtract 9 when the double is over
    9), sum everything; the number is valid when the sum is a multiple of 10.
    Hint: `enumerate(reversed(digits))`, double when the index is odd.
    """
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(candidate: str, lengths: dict[str, int]) -> bool:
    """ISO 13616: the country's length, then mod 97 of the rearranged number equals 1.

    Move the first four characters (country, check digits) to the end, read every letter as
    a number A=10 ... Z=35, and take the whole digit string modulo 97.
    Hint: `int(c, 36)` turns '0'-'9' and 'A'-'Z' into 0-35.
    """
    iban = candidate.replace(" ", "").upper()
    if len(iban) != lengths.get(iban[:2], -1):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def entropy(text: str) -> float:
    """Shannon entropy in bits per character of the character frequencies in `text`."""
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())
