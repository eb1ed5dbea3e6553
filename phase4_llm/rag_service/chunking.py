"""Load Markdown, plain text and HTML into clean text, then split it into bounded chunks.

Structure first: headings open sections, blank lines separate paragraphs; paragraphs are packed
into chunks of at most `max_tokens` word tokens; a paragraph longer than that is cut into
sentence windows that overlap by `overlap` tokens. Every chunk keeps its character offsets in
the cleaned text, the heading it sits under, and a content hash.
Tokens here are regex word tokens (MiniLM's WordPiece count is ~1.3x this), which keeps chunks
under the model's 256-piece window with the default `max_tokens=160`.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import ClassVar

TOKEN = re.compile(r"\w+|[^\w\s]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9(])")


@dataclass(frozen=True)
class Chunk:
    """A piece of a document: text, where it came from, and its hash."""

    doc_id: str
    ord: int
    text: str
    title: str
    source: str
    start: int
    end: int
    content_hash: str


def content_hash(text: str) -> str:
    """sha256 hex of the UTF-8 text: `content_hash("a")[:8] == "ca978112"`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def count_tokens(text: str) -> int:
    """Word-token count: `count_tokens("Hi, there.") == 4`."""
    return len(TOKEN.findall(text))


def load_text(raw: str, fmt: str) -> tuple[str, str]:
    """Clean `raw` of format "markdown" | "text" | "html"; return (text, title)."""
    if fmt == "html":
        parser = _HTMLToText()
        parser.feed(raw)
        parser.close()
        text = _normalise(parser.text())
        title = parser.title.strip() or _first_line(text)
        return text, title
    if fmt not in ("markdown", "text"):
        raise ValueError(f"unknown format {fmt!r}: expected markdown, text or html")
    text = _normalise(raw)
    if fmt == "markdown":
        # Brackets and parentheses are excluded inside the groups so a scan never runs past
        # the next "[" or "(": linear time on hostile input such as "[a](" repeated.
        text = re.sub(r"!\[([^\[\]]*)\]\([^()]*\)", r"\1", text)  # images -> alt text
        text = re.sub(r"\[([^\[\]]+)\]\([^()]*\)", r"\1", text)  # links -> their text
        text = re.sub(r"(\*\*|__|`)", "", text)
    return text, _first_line(text).lstrip("# ").strip()


def split_chunks(
    doc_id: str,
    text: str,
    *,
    title: str = "",
    source: str = "",
    max_tokens: int = 160,
    overlap: int = 32,
) -> list[Chunk]:
    """Split cleaned `text` into heading/paragraph-aware chunks of at most `max_tokens`."""
    if max_tokens < 8 or not 0 <= overlap < max_tokens // 2:
        raise ValueError("need max_tokens >= 8 and 0 <= overlap < max_tokens / 2")
    spans: list[tuple[int, int, str]] = []  # (start, end, section heading)
    heading = title
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):  # paragraphs
        para = m.group(0)
        if re.match(r"#{1,6}\s", para):
            heading = para.split("\n", 1)[0].lstrip("#").strip()
        spans.append((m.start(), m.end(), heading))
    pieces: list[tuple[int, int, str]] = []
    for start, end, head in spans:
        if count_tokens(text[start:end]) <= max_tokens:
            pieces.append((start, end, head))
        else:
            pieces.extend((s, e, head) for s, e in _windows(text, start, end, max_tokens, overlap))
    chunks: list[Chunk] = []
    cur: list[tuple[int, int, str]] = []
    for piece in [*pieces, (-1, -1, "")]:
        tokens = sum(count_tokens(text[s:e]) for s, e, _ in cur)
        new_section = piece[2] != (cur[0][2] if cur else piece[2])
        fits = piece[0] >= 0 and tokens + count_tokens(text[piece[0] : piece[1]]) <= max_tokens
        if cur and (not fits or new_section):
            s, e = cur[0][0], cur[-1][1]
            body = text[s:e]
            chunks.append(
                Chunk(
                    doc_id, len(chunks), body, cur[0][2] or title, source, s, e, content_hash(body)
                )
            )
            cur = []
        if piece[0] >= 0:
            cur.append(piece)
    return chunks


def _windows(text: str, start: int, end: int, max_tokens: int, overlap: int):
    """Sentence-aligned windows over text[start:end], each at most `max_tokens` tokens."""
    bounds = [start] + [start + m.end() for m in SENTENCE_END.finditer(text[start:end])] + [end]
    sents = [(a, b) for a, b in itertools.pairwise(bounds) if text[a:b].strip()]
    # A single over-long sentence is cut on token boundaries.
    units: list[tuple[int, int]] = []
    for a, b in sents:
        toks = [(a + m.start(), a + m.end()) for m in TOKEN.finditer(text[a:b])]
        for i in range(0, len(toks), max_tokens - overlap):
            part = toks[i : i + max_tokens]
            units.append((part[0][0], part[-1][1]))
            if i + max_tokens >= len(toks):
                break
    i = 0
    while i < len(units):
        j, tokens = i, 0
        while (
            j < len(units) and tokens + count_tokens(text[units[j][0] : units[j][1]]) <= max_tokens
        ):
            tokens += count_tokens(text[units[j][0] : units[j][1]])
            j += 1
        j = max(j, i + 1)
        yield units[i][0], units[j - 1][1]
        if j >= len(units):
            break
        back, k = 0, j  # step back over whole sentences worth about `overlap` tokens
        while k - 1 > i and back + count_tokens(text[units[k - 1][0] : units[k - 1][1]]) <= overlap:
            k -= 1
            back += count_tokens(text[units[k][0] : units[k][1]])
        i = k


def split_sentences(text: str) -> list[str]:
    """Sentences of a chunk: `split_sentences("A b. C d.") == ["A b.", "C d."]`."""
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(s.strip() for s in SENTENCE_END.split(para) if s.strip())
    return out


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = re.sub(r"[ \u00a0]+", " ", text)
    text = re.sub(r" ?\n ?", "\n", text)  # runs are single spaces now; " *\n" is quadratic
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0][:200] if text else ""


class _HTMLToText(HTMLParser):
    """Visible text of an HTML page with block elements as paragraphs, headings as `#`."""

    BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "li", "tr", "section", "article", "br", "table", "ul", "ol", "pre"}
    )
    SKIP: ClassVar[frozenset[str]] = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in self.SKIP:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n")

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data.replace("\n", " "))

    def text(self) -> str:
        return "".join(self.parts)
