"""GPT-2's byte-level alphabet: one printable character for each of the 256 bytes."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's map from each byte to a printable character (used in tokenizer.json files).

    Printable Latin-1 bytes map to themselves, the other 68 to U+0100 upwards:
    `bytes_to_unicode()[ord(" ")] == "Ġ"`, `bytes_to_unicode()[ord("a")] == "a"`.
    """
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(printable, chars, strict=True)}


@lru_cache(maxsize=1)
def unicode_to_bytes() -> dict[str, int]:
    """Inverse of `bytes_to_unicode`: `unicode_to_bytes()["Ġ"] == 32`."""
    return {c: b for b, c in bytes_to_unicode().items()}
