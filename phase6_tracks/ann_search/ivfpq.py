"""IVF-PQ index (faiss's IndexIVFPQ, squared-L2, residuals encoded): NumPy training, C++ scan.

A coarse k-means splits the space into `nlist` cells (inverted lists); each vector is stored in
its nearest cell as the PQ code of its residual (vector minus cell centroid). A query visits
the `nprobe` nearest cells and scores every code there with a table of distances between the
query's residual and every sub-centroid (asymmetric distance computation: m look-ups and
adds per vector). `scan_numpy` is the same scan in NumPy, the reference for the C++ loop.

What this adds over `minimal.py`'s IVF (flat float64 vectors): PQ codes store a vector in m
bytes instead of 8d (32x less memory at d=32, m=8) at the cost of approximate distances; the
C++ scan of codes and the precomputed term table set the queries-per-second that bench.py
measures beside faiss; ids, deletion and save/load make it an index one can keep.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import native
from .kmeans import kmeans, nearest_centroid
from .pq import ProductQuantizer
from .validation import check_ids, check_matrix

FORMAT = "roadmap-ivfpq-1"


class IVFPQ:
    """Inverted-file index with product-quantized residuals."""

    coarse_: np.ndarray
    codes_: np.ndarray
    labels_: np.ndarray
    deleted_: np.ndarray
    list_of_: np.ndarray
    offsets_: np.ndarray
    _term: np.ndarray | None

    def __init__(
        self, dim: int, nlist: int, m: int, nbits: int = 8, nprobe: int = 1, seed: int = 0
    ) -> None:
        if nlist < 1 or nprobe < 1:
            raise ValueError("nlist and nprobe must be >= 1")
        self.dim, self.nlist, self.m, self.nbits, self.nprobe, self.seed = (
            dim,
            nlist,
            m,
            nbits,
            nprobe,
            seed,
        )
        self.pq = ProductQuantizer(dim, m, nbits, seed)
        self._clear()

    def train(self, X: np.ndarray) -> IVFPQ:
        """Learn the coarse centroids, then the PQ codebooks on the residuals; returns self."""
        X = check_matrix(X, self.dim, "X")
        self.coarse_ = kmeans(X, self.nlist, seed=self.seed)
        assign, _ = nearest_centroid(X, self.coarse_)
        self.pq.fit(X - self.coarse_[assign])
        self._clear()
        return self

    def set_codebooks(self, coarse: np.ndarray, pq_centroids: np.ndarray) -> IVFPQ:
        """Use given coarse centroids (nlist, dim) and PQ codebooks (m, 2^nbits, dim/m)."""
        coarse = np.ascontiguousarray(coarse, dtype=np.float32)
        if coarse.shape != (self.nlist, self.dim):
            raise ValueError(f"coarse must be {(self.nlist, self.dim)}, got {coarse.shape}")
        self.coarse_ = coarse
        self.pq.set_centroids(pq_centroids)
        self._clear()
        return self

    def fit(self, X: np.ndarray, ids: np.ndarray | None = None) -> IVFPQ:
        """train(X) then add(X, ids); returns self."""
        return self.train(X).add(X, ids)

    def add(self, X: np.ndarray, ids: np.ndarray | None = None) -> IVFPQ:
        """Encode and store vectors under new ids (default: after the largest id)."""
        self._check_trained()
        X = check_matrix(X, self.dim, "X")
        if ids is None:
            start = int(self.labels_.max()) + 1 if len(self.labels_) else 0
            ids = np.arange(start, start + len(X), dtype=np.int64)
        ids = check_ids(ids, len(X))
        if np.isin(ids, self.labels_[self.deleted_ == 0]).any():
            raise ValueError("some ids are already in the index (delete them first)")
        assign, _ = nearest_centroid(X, self.coarse_)
        codes = self.pq.encode(X - self.coarse_[assign])
        lists = np.concatenate([self.list_of_, assign])
        order = np.argsort(lists, kind="stable")  # regroup the rows list by list
        self.codes_ = np.ascontiguousarray(np.concatenate([self.codes_, codes])[order])
        self.labels_ = np.concatenate([self.labels_, ids])[order]
        self.deleted_ = np.ascontiguousarray(
            np.concatenate([self.deleted_, np.zeros(len(X), np.uint8)])[order]
        )
        self.list_of_ = lists[order]
        self.offsets_ = np.searchsorted(self.list_of_, np.arange(self.nlist + 1)).astype(np.int64)
        return self

    def search(
        self, Q: np.ndarray, k: int = 10, nprobe: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(approximate squared distances, ids), each (n_queries, k), nearest first."""
        Q, probes, k, probe_d = self._prepare(Q, k, nprobe)
        dist = np.empty((len(Q), k), dtype=np.float32)
        rows = np.empty((len(Q), k), dtype=np.int64)
        term = self._term_table()
        C, dsub = self.pq.centroids_, self.pq.dsub
        for s in range(0, len(Q), 256):  # bounded memory: 256 x m x ksub inner products
            q = Q[s : s + 256]
            # (m, b, dsub) @ (m, dsub, ksub): every sub-space in one batched matmul
            ip = np.matmul(q.reshape(len(q), self.m, dsub).transpose(1, 0, 2), C.transpose(0, 2, 1))
            ip = ip.transpose(1, 0, 2)
            coarse_d = np.ascontiguousarray(probe_d[s : s + 256], dtype=np.float32)
            native.lib().ivfpq_search(
                np.ascontiguousarray(ip, dtype=np.float32),
                len(q),
                coarse_d,
                term,
                self.m,
                self.pq.ksub,
                np.ascontiguousarray(probes[s : s + 256]),
                probes.shape[1],
                self.offsets_,
                self.codes_,
                self.deleted_,
                k,
                dist[s : s + 256],
                rows[s : s + 256],
            )
        ids = np.full_like(rows, -1)
        ids[rows >= 0] = self.labels_[rows[rows >= 0]]
        return dist, ids

    def scan_numpy(
        self, Q: np.ndarray, k: int = 10, nprobe: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """`search` written in NumPy (slow, per query): the reference for the C++ scan."""
        Q, probes, k, _ = self._prepare(Q, k, nprobe)
        dist = np.full((len(Q), k), np.inf, dtype=np.float32)
        ids = np.full((len(Q), k), -1, dtype=np.int64)
        C = self.pq.centroids_
        for qi, q in enumerate(Q):
            cand_d, cand_i = [], []
            for lst in probes[qi]:
                lo, hi = self.offsets_[lst], self.offsets_[lst + 1]
                r = (q - self.coarse_[lst]).reshape(self.m, 1, -1)
                lut = ((r - C) ** 2).sum(-1, dtype=np.float32)  # (m, ksub)
                d = lut[np.arange(self.m), self.codes_[lo:hi].astype(np.int64)].sum(1)
                live = self.deleted_[lo:hi] == 0
                cand_d.append(d[live])
                cand_i.append(np.arange(lo, hi)[live])
            d, rows = np.concatenate(cand_d), np.concatenate(cand_i)
            top = np.lexsort((rows, d))[:k]
            dist[qi, : len(top)], ids[qi, : len(top)] = d[top], self.labels_[rows[top]]
        return dist, ids

    def delete(self, ids: np.ndarray | list[int]) -> IVFPQ:
        """Tombstone these ids: never returned again (KeyError if absent)."""
        for label in np.asarray(ids, dtype=np.int64).ravel():
            rows = np.flatnonzero((self.labels_ == label) & (self.deleted_ == 0))
            if len(rows) == 0:
                raise KeyError(f"id {int(label)} is not in the index")
            self.deleted_[rows] = 1
        return self

    def __len__(self) -> int:
        return int((self.deleted_ == 0).sum())

    def save(self, path: str | Path) -> None:
        """Write codebooks, codes, ids and tombstones to one .npz file."""
        self._check_trained()
        meta = {
            "format": FORMAT,
            "dim": self.dim,
            "nlist": self.nlist,
            "m": self.m,
            "nbits": self.nbits,
            "nprobe": self.nprobe,
            "seed": self.seed,
        }
        with open(path, "wb") as fh:
            np.savez(
                fh,
                meta=np.array(json.dumps(meta)),
                coarse=self.coarse_,
                pq=self.pq.centroids_,
                codes=self.codes_,
                labels=self.labels_,
                deleted=self.deleted_,
                list_of=self.list_of_,
            )

    @classmethod
    def load(cls, path: str | Path) -> IVFPQ:
        """Read an index written by `save`."""
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") != FORMAT:
                raise ValueError(f"{path} is not a {FORMAT} file")
            index = cls(
                meta["dim"], meta["nlist"], meta["m"], meta["nbits"], meta["nprobe"], meta["seed"]
            ).set_codebooks(z["coarse"], z["pq"])
            index.codes_ = np.ascontiguousarray(z["codes"])
            index.labels_, index.list_of_ = z["labels"], z["list_of"]
            index.deleted_ = np.ascontiguousarray(z["deleted"])
        index.offsets_ = np.searchsorted(index.list_of_, np.arange(index.nlist + 1)).astype(
            np.int64
        )
        return index

    # ---- helpers ----------------------------------------------------------------------
    def _clear(self) -> None:
        self._term = None
        self.codes_ = np.zeros((0, self.m), dtype=np.uint8)
        self.labels_ = np.zeros(0, dtype=np.int64)
        self.deleted_ = np.zeros(0, dtype=np.uint8)
        self.list_of_ = np.zeros(0, dtype=np.int64)
        self.offsets_ = np.zeros(self.nlist + 1, dtype=np.int64)

    def _term_table(self) -> np.ndarray:
        """term[c, j, s] = ||y_js||^2 + 2 <coarse_c sub j, y_js> (nlist, m, ksub), cached."""
        if self._term is None:
            C = self.pq.centroids_.astype(np.float64)  # (m, ksub, dsub)
            cs = self.coarse_.astype(np.float64).reshape(self.nlist, self.m, 1, self.pq.dsub)
            term = (C**2).sum(-1)[None] + 2.0 * (cs * C[None]).sum(-1)
            self._term = np.ascontiguousarray(term, dtype=np.float32)
        return self._term

    def _check_trained(self) -> None:
        if not hasattr(self, "coarse_"):
            raise RuntimeError("IVFPQ is not trained: call train() or set_codebooks() first")

    def _prepare(
        self, Q: np.ndarray, k: int, nprobe: int | None
    ) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
        """(queries, probed lists, k, squared distances to the probed centroids)."""
        self._check_trained()
        Q = check_matrix(Q, self.dim, "Q", allow_empty=True)
        nprobe = min(self.nprobe if nprobe is None else nprobe, self.nlist)
        if k < 1 or nprobe < 1:
            raise ValueError("k and nprobe must be >= 1")
        Q64, C64 = Q.astype(np.float64), self.coarse_.astype(np.float64)
        d = (C64 * C64).sum(1)[None, :] - 2.0 * Q64 @ C64.T
        if nprobe < self.nlist:  # partial selection, then order the few by (distance, list)
            part = np.argpartition(d, nprobe - 1, axis=1)[:, :nprobe]
            order = np.lexsort((part, np.take_along_axis(d, part, axis=1)), axis=1)
            probes = np.take_along_axis(part, order, axis=1)
        else:
            probes = np.argsort(d, axis=1, kind="stable")
        probe_d = np.take_along_axis(d, probes, axis=1) + (Q64 * Q64).sum(1)[:, None]
        return Q, np.ascontiguousarray(probes, dtype=np.int64), k, np.maximum(probe_d, 0.0)
