"""HNSW (hierarchical navigable small world graph) index, squared-L2, with a C++ inner loop.

The graph lives in NumPy arrays owned by this class (see `csrc/ann_kernels.cpp` for the
layout); the C++ only walks and edits them, so `save` is `np.savez` and `load` is the reverse.
Levels are drawn here, in NumPy, as floor(-ln U / ln M), the paper's choice of mL = 1/ln M.
Deletion is a tombstone: the node keeps routing searches but is never returned.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import native
from .validation import check_ids, check_matrix

FORMAT = "roadmap-hnsw-1"


class HNSW:
    """Approximate k-nearest-neighbour index (squared euclidean distance)."""

    def __init__(
        self, dim: int, M: int = 16, ef_construction: int = 200, ef_search: int = 50, seed: int = 0
    ) -> None:
        if dim < 1 or M < 2 or ef_construction < 1 or ef_search < 1:
            raise ValueError("need dim >= 1, M >= 2, ef_construction >= 1, ef_search >= 1")
        self.dim, self.M, self.ef_construction, self.ef_search = dim, M, ef_construction, ef_search
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        self._alloc(0, 0)
        self._label_to_node: dict[int, int] = {}

    # ---- public API -------------------------------------------------------------------
    def fit(self, X: np.ndarray, ids: np.ndarray | None = None) -> HNSW:
        """Build the index from scratch on X (ids default to 0..n-1); returns self."""
        self._rng = np.random.default_rng(self.seed)
        self._alloc(0, 0)
        self._label_to_node = {}
        return self.add(X, ids)

    def add(self, X: np.ndarray, ids: np.ndarray | None = None) -> HNSW:
        """Insert vectors under new ids (default: continuing from the largest id); returns self."""
        X = check_matrix(X, self.dim, "X")
        n = X.shape[0]
        if ids is None:
            start = max(self._label_to_node, default=-1) + 1
            ids = np.arange(start, start + n, dtype=np.int64)
        ids = check_ids(ids, n)
        live = [int(i) for i in ids if int(i) in self._label_to_node]
        if live:
            raise ValueError(f"ids already in the index (delete them first): {live[:5]}")
        first = self.n_nodes
        levels = np.floor(-np.log(1.0 - self._rng.random(n)) / np.log(self.M)).astype(np.int32)
        self._reserve(first + n, self._n_upper + int(levels.sum()))
        self.data_[first : first + n] = X
        self.levels_[first : first + n] = levels
        self.labels_[first : first + n] = ids
        for j in range(n):
            if levels[j] > 0:
                self.upper_row_[first + j] = self._n_upper
                self._n_upper += int(levels[j])
        native.lib().hnsw_add(
            *self._graph_args(),
            self.levels_,
            self.deleted_,
            self.state_,
            first,
            n,
            self.ef_construction,
            self.M,
        )
        self._label_to_node.update((int(lab), first + j) for j, lab in enumerate(ids))
        return self

    def search(
        self, Q: np.ndarray, k: int = 10, ef: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(distances, ids), each (n_queries, k), nearest first; -1 / inf where fewer than k."""
        Q = check_matrix(Q, self.dim, "Q", allow_empty=True)
        if k < 1:
            raise ValueError("k must be >= 1")
        ef = self.ef_search if ef is None else ef
        if ef < 1:
            raise ValueError("ef must be >= 1")
        nq = Q.shape[0]
        dist = np.empty((nq, k), dtype=np.float32)
        node = np.empty((nq, k), dtype=np.int64)
        native.lib().hnsw_search(
            *self._graph_args(), self.deleted_, self.state_, Q, nq, k, ef, dist, node
        )
        ids = np.full_like(node, -1)
        ids[node >= 0] = self.labels_[node[node >= 0]]
        return dist, ids

    def delete(self, ids: np.ndarray | list[int]) -> HNSW:
        """Tombstone these ids: they are never returned again (KeyError if absent)."""
        for label in np.asarray(ids, dtype=np.int64).ravel():
            node = self._label_to_node.pop(int(label), None)
            if node is None:
                raise KeyError(f"id {int(label)} is not in the index")
            self.deleted_[node] = 1
        return self

    def __len__(self) -> int:
        return len(self._label_to_node)

    @property
    def n_nodes(self) -> int:
        """Nodes in the graph, tombstoned ones included."""
        return int(self.state_[0])

    def save(self, path: str | Path) -> None:
        """Write the index (graph, vectors, ids, tombstones, RNG state) to one .npz file."""
        n = self.n_nodes
        meta = {
            "format": FORMAT,
            "dim": self.dim,
            "M": self.M,
            "ef_construction": self.ef_construction,
            "ef_search": self.ef_search,
            "seed": self.seed,
            "rng": self._rng.bit_generator.state,
        }
        with open(path, "wb") as fh:
            np.savez(
                fh,
                meta=np.array(json.dumps(meta)),
                data=self.data_[:n],
                links0=self.links0_[:n],
                upper=self.upper_[: self._n_upper],
                upper_row=self.upper_row_[:n],
                levels=self.levels_[:n],
                deleted=self.deleted_[:n],
                labels=self.labels_[:n],
                state=self.state_,
            )

    @classmethod
    def load(cls, path: str | Path) -> HNSW:
        """Read an index written by `save`."""
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") != FORMAT:
                raise ValueError(f"{path} is not a {FORMAT} file")
            index = cls(meta["dim"], meta["M"], meta["ef_construction"], meta["ef_search"])
            index.seed = meta["seed"]
            index._rng.bit_generator.state = meta["rng"]
            n, rows = len(z["labels"]), len(z["upper"])
            index._reserve(n, rows)
            for name in ("data", "links0", "upper_row", "levels", "deleted", "labels"):
                getattr(index, name + "_")[:n] = z[name]
            index.upper_[:rows] = z["upper"]
            index.state_[:] = z["state"]
            index._n_upper = rows
        index._label_to_node = {
            int(lab): i for i, lab in enumerate(index.labels_[:n]) if not index.deleted_[i]
        }
        return index

    # ---- storage ----------------------------------------------------------------------
    def _alloc(self, cap: int, rows: int) -> None:
        self.data_ = np.zeros((cap, self.dim), dtype=np.float32)
        self.links0_ = np.zeros((cap, 2 * self.M + 1), dtype=np.int32)
        self.upper_ = np.zeros((max(rows, 1), self.M + 1), dtype=np.int32)
        self.upper_row_ = np.full(cap, -1, dtype=np.int64)
        self.levels_ = np.zeros(cap, dtype=np.int32)
        self.deleted_ = np.zeros(cap, dtype=np.uint8)
        self.labels_ = np.full(cap, -1, dtype=np.int64)
        self.state_ = np.zeros(3, dtype=np.int64)  # n_nodes, entry point, max level
        self._n_upper = 0

    def _reserve(self, cap: int, rows: int) -> None:
        """Grow the arrays (doubling) so that `cap` nodes and `rows` upper rows fit."""
        old_cap = len(self.labels_)
        if cap > old_cap:
            new = max(cap, 2 * old_cap)
            for name, fill in (
                ("data_", 0),
                ("links0_", 0),
                ("upper_row_", -1),
                ("levels_", 0),
                ("deleted_", 0),
                ("labels_", -1),
            ):
                old = getattr(self, name)
                grown = np.full((new, *old.shape[1:]), fill, dtype=old.dtype)
                grown[:old_cap] = old
                setattr(self, name, grown)
        if rows > len(self.upper_):
            grown = np.zeros((max(rows, 2 * len(self.upper_)), self.M + 1), dtype=np.int32)
            grown[: len(self.upper_)] = self.upper_
            self.upper_ = grown

    def _graph_args(self) -> tuple:
        return (
            self.data_,
            self.dim,
            self.links0_,
            2 * self.M,
            self.upper_,
            self.M,
            self.upper_row_,
        )
