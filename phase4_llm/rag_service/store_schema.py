"""The store's SQLite schema, its migrations, and the row types the store hands out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from phase4_llm.rag_service.access import Viewer
from phase4_llm.rag_service.chunking import Chunk

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, title TEXT, source TEXT, content_hash TEXT,
  n_chunks INTEGER, flagged INTEGER, updated REAL, owner TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL DEFAULT 'public');
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT, ord INTEGER, text TEXT, title TEXT,
  source TEXT, start INTEGER, "end" INTEGER, content_hash TEXT, embedding BLOB);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
"""
# Stores written before documents had owners gain the columns; their documents stay public
# (anyone could query them before) and owned by "" (only an admin may change or delete them).
MIGRATIONS = {
    "owner": "ALTER TABLE documents ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
    "visibility": "ALTER TABLE documents ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'",
}
DOC_COLUMNS = "doc_id, title, source, content_hash, n_chunks, flagged, updated, owner, visibility"


@dataclass(frozen=True)
class PreparedDocument:
    """One document of a batch, chunked and embedded, ready to be written."""

    meta: dict
    chunks: list[Chunk]
    vectors: np.ndarray


@dataclass(frozen=True)
class StoredChunk:
    """A chunk row as retrieval sees it."""

    id: int
    doc_id: str
    ord: int
    text: str
    title: str
    source: str
    start: int
    end: int


def visible_clause(viewer: Viewer | None) -> tuple[str, tuple]:
    """SQL `WHERE` clause and arguments for the documents `viewer` may see."""
    if viewer is None or viewer.admin:
        return "", ()
    if viewer.principal is None:
        return "WHERE visibility='public'", ()
    return "WHERE visibility='public' OR owner=?", (viewer.principal,)


def doc_dict(row: tuple) -> dict:
    """A `documents` row (`DOC_COLUMNS` order) as a dict."""
    out = dict(zip(DOC_COLUMNS.split(", "), row, strict=True))
    out["flagged"] = bool(out["flagged"])
    return out
