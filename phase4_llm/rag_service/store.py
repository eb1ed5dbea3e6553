"""The document store: SQLite is the source of truth; FAISS and BM25 are derived, saved atomically.

Every write is one SQLite transaction that also bumps a `generation` counter. The indexes are
then written with write-then-rename and a manifest naming the generation they reflect. On
open, an index whose manifest is missing, torn or from another generation (a crash between
the commit and the renames, SIGKILL included) is rebuilt from the chunk rows, which carry
their embeddings, so nothing is re-embedded and a deleted chunk can never come back.

A batch of documents is one transaction: it is committed entirely or not at all (an error or
a kill in the middle of a batch leaves none of it). Each document has an owner (a principal)
and a visibility; `ChunkAccess` mirrors them in memory so retrieval can filter by caller.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from pathlib import Path

import numpy as np

from phase4_llm.rag_service.access import ChunkAccess, OwnershipError, Viewer
from phase4_llm.rag_service.atomic import write_atomic
from phase4_llm.rag_service.bm25 import BM25Index
from phase4_llm.rag_service.store_schema import (
    DOC_COLUMNS,
    MIGRATIONS,
    SCHEMA,
    PreparedDocument,
    StoredChunk,
    doc_dict,
    visible_clause,
)
from phase4_llm.rag_service.vector_index import VectorIndex


class DocumentStore:
    """Documents and chunks in SQLite plus their FAISS and BM25 indexes, kept consistent."""

    def __init__(self, folder: Path, embedder_name: str, dim: int = 384) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self.lock = threading.RLock()
        self.db = sqlite3.connect(str(self.folder / "meta.sqlite"), check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit survives a process kill (SIGKILL); only power loss can drop
        # the last transactions, and those are then absent everywhere, never half-applied.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(documents)")}
        with self.db:
            for column, ddl in MIGRATIONS.items():
                if column not in columns:
                    self.db.execute(ddl)
            self.db.execute("INSERT OR IGNORE INTO state VALUES ('embedder', ?)", (embedder_name,))
            self.db.execute("INSERT OR IGNORE INTO state VALUES ('generation', '0')")
            # Names principals of plain API keys without storing anything derived from a key
            # alone (an unsalted hash would confirm a guessed key).
            self.db.execute(
                "INSERT OR IGNORE INTO state VALUES ('principal_salt', ?)", (secrets.token_hex(16),)
            )
        stored = self._state("embedder")
        if stored != embedder_name:
            raise ValueError(f"store was built with embedder {stored!r}, not {embedder_name!r}")
        self.rebuilt = False
        self.access = ChunkAccess()
        self._load_indexes()
        self._load_access()

    # ---- reads -------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict | None:
        row = self.db.execute(
            f"SELECT {DOC_COLUMNS} FROM documents WHERE doc_id=?", (doc_id,)
        ).fetchone()
        return None if row is None else doc_dict(row)

    def documents(
        self, limit: int = 1000, offset: int = 0, viewer: Viewer | None = None
    ) -> list[dict]:
        """Documents `viewer` may see (all when None), by id."""
        where, args = visible_clause(viewer)
        rows = self.db.execute(
            f"SELECT {DOC_COLUMNS} FROM documents {where} ORDER BY doc_id LIMIT ? OFFSET ?",
            (*args, limit, offset),
        ).fetchall()
        return [doc_dict(r) for r in rows]

    def principal_salt(self) -> str:
        return self._state("principal_salt")

    def chunks(self, ids: list[int]) -> dict[int, StoredChunk]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f'SELECT id, doc_id, ord, text, title, source, start, "end" FROM chunks'
            f" WHERE id IN ({marks})",
            list(ids),
        ).fetchall()
        return {r[0]: StoredChunk(*r) for r in rows}

    def embeddings(self, ids: list[int]) -> dict[int, np.ndarray]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT id, embedding FROM chunks WHERE id IN ({marks})", list(ids)
        ).fetchall()
        return {r[0]: np.frombuffer(r[1], dtype=np.float32) for r in rows}

    def chunk_ids(self) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def n_documents(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def n_chunks(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    # ---- writes ------------------------------------------------------------------------
    def replace_documents(
        self, batch: list[PreparedDocument], viewer: Viewer | None = None, *, persist: bool = True
    ) -> list[list[int]]:
        """Swap each document's chunks in one transaction (all or none); return the new ids.

        A document owned by another principal than `viewer`'s raises `OwnershipError` before
        anything is written; a new document is owned by `meta["owner"]`.
        """
        with self.lock:
            swaps = []
            with self.db:  # one transaction: a failure anywhere rolls the whole batch back
                for doc in batch:
                    old = self.document(doc.meta["doc_id"])
                    if old is not None and viewer is not None and not viewer.owns(old["owner"]):
                        raise OwnershipError(f"document {doc.meta['doc_id']!r} has another owner")
                    owner = old["owner"] if old is not None else doc.meta.get("owner", "")
                    old_ids, new_ids = self._write_document(doc, owner)
                    swaps.append((old, old_ids, new_ids, owner, doc))
                if swaps:
                    self._bump()
            for old, old_ids, new_ids, owner, doc in swaps:
                self.vectors.remove(old_ids)
                for i in old_ids:
                    self.bm25.remove(i)
                if old is not None:
                    self.access.remove(old["owner"], old_ids)
                self.vectors.add(np.asarray(new_ids), np.asarray(doc.vectors))
                for i, c in zip(new_ids, doc.chunks, strict=False):
                    self.bm25.add(i, c.title + "\n" + c.text)
                self.access.add(owner, doc.meta.get("visibility") == "public", new_ids)
            if persist and swaps:
                self.persist()
            return [s[2] for s in swaps]

    def _write_document(self, doc: PreparedDocument, owner: str) -> tuple[list[int], list[int]]:
        """The SQLite rows of one document (inside the caller's transaction)."""
        meta = doc.meta
        old = [
            r[0] for r in self.db.execute("SELECT id FROM chunks WHERE doc_id=?", (meta["doc_id"],))
        ]
        self.db.execute("DELETE FROM chunks WHERE doc_id=?", (meta["doc_id"],))
        new_ids = []
        for c, v in zip(doc.chunks, doc.vectors, strict=False):
            cur = self.db.execute(
                'INSERT INTO chunks (doc_id, ord, text, title, source, start, "end",'
                " content_hash, embedding) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    c.doc_id,
                    c.ord,
                    c.text,
                    c.title,
                    c.source,
                    c.start,
                    c.end,
                    c.content_hash,
                    np.asarray(v, dtype=np.float32).tobytes(),
                ),
            )
            assert cur.lastrowid is not None  # set by the INSERT just run
            new_ids.append(int(cur.lastrowid))
        self.db.execute(
            f"INSERT OR REPLACE INTO documents ({DOC_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                meta["doc_id"],
                meta.get("title", ""),
                meta.get("source", ""),
                meta["content_hash"],
                len(doc.chunks),
                int(meta.get("flagged", False)),
                time.time(),
                owner,
                meta.get("visibility", "private"),
            ),
        )
        return old, new_ids

    def delete_document(self, doc_id: str, viewer: Viewer | None = None) -> bool:
        """Remove a document from SQLite, FAISS and BM25; False when absent or not `viewer`'s.

        Another principal's document answers False too, so a caller cannot probe for ids.
        """
        with self.lock:
            doc = self.document(doc_id)
            if doc is None or (viewer is not None and not viewer.owns(doc["owner"])):
                return False
            with self.db:
                old = [
                    r[0] for r in self.db.execute("SELECT id FROM chunks WHERE doc_id=?", (doc_id,))
                ]
                gone = self.db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,)).rowcount
                self.db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
                if gone:
                    self._bump()
            self.vectors.remove(old)
            for i in old:
                self.bm25.remove(i)
            self.access.remove(doc["owner"], old)
            if gone:
                self.persist()
            return bool(gone)

    def persist(self) -> None:
        """Write both indexes atomically, then the manifest naming their generation."""
        with self.lock:
            self.vectors.save(self.folder / "faiss.index")
            self.bm25.save(self.folder / "bm25.json")
            manifest = {"generation": self._state("generation"), "n": len(self.vectors)}
            write_atomic(self.folder / "manifest.json", json.dumps(manifest).encode())

    def consistency_errors(self) -> list[str]:
        """Differences between SQLite, FAISS and BM25 (empty when consistent)."""
        rows = self.chunk_ids()
        errs = []
        if self.vectors.ids() != rows:
            errs.append(f"faiss ids differ from sqlite ({len(self.vectors)} vs {len(rows)})")
        if set(self.bm25.lengths) != rows:
            errs.append(f"bm25 ids differ from sqlite ({len(self.bm25)} vs {len(rows)})")
        docs = {r[0] for r in self.db.execute("SELECT doc_id FROM documents")}
        orphans = {r[0] for r in self.db.execute("SELECT DISTINCT doc_id FROM chunks")} - docs
        if orphans:
            errs.append(f"chunks without a document: {sorted(orphans)[:5]}")
        return errs

    def close(self) -> None:
        self.db.close()

    # ---- helpers -----------------------------------------------------------------------
    def _state(self, key: str) -> str:
        return self.db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()[0]

    def _bump(self) -> None:
        self.db.execute(
            "UPDATE state SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'"
        )

    def _load_indexes(self) -> None:
        try:
            manifest = json.loads((self.folder / "manifest.json").read_text())
            if manifest["generation"] != self._state("generation"):
                raise ValueError("indexes are from another generation")
            self.vectors = VectorIndex.load(self.folder / "faiss.index", self.dim)
            self.bm25 = BM25Index.from_json((self.folder / "bm25.json").read_text())
            if self.consistency_errors():
                raise ValueError("indexes disagree with sqlite")
        except (OSError, ValueError, KeyError, RuntimeError):
            self.rebuild()

    def _load_access(self) -> None:
        self.access = ChunkAccess()
        rows = self.db.execute(
            "SELECT c.id, d.owner, d.visibility FROM chunks c JOIN documents d USING (doc_id)"
        ).fetchall()
        grouped: dict[tuple[str, bool], list[int]] = {}
        for chunk_id, owner, visibility in rows:
            grouped.setdefault((owner, visibility == "public"), []).append(chunk_id)
        for (owner, public), ids in grouped.items():
            self.access.add(owner, public, ids)

    def rebuild(self) -> None:
        """Recreate both indexes from the chunk rows and persist them."""
        rows = self.db.execute(
            "SELECT id, title, text, embedding FROM chunks ORDER BY id"
        ).fetchall()
        ids = np.asarray([r[0] for r in rows], dtype=np.int64)
        vecs = (
            np.stack([np.frombuffer(r[3], np.float32) for r in rows])
            if rows
            else np.zeros((0, self.dim), np.float32)
        )
        self.vectors = VectorIndex.build(ids, vecs, self.dim)
        self.bm25 = BM25Index()
        for r in rows:
            self.bm25.add(r[0], r[1] + "\n" + r[2])
        self.rebuilt = True
        self.persist()
