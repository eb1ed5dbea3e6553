"""Dense index over FAISS: exact inner product (`IndexIDMap2` over `IndexFlatIP`) for small
corpora, an IVF index above `IVF_THRESHOLD` chunks. Vectors are L2-normalised, so inner
product is cosine similarity. Ids are the SQLite chunk row ids (int64)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from phase4_llm.rag_service.atomic import write_atomic

IVF_THRESHOLD = 50_000  # below this, exact search is faster than IVF's probing on one core
# A service searches one query at a time: threads buy nothing there, and OpenMP's spin-waits
# cost 10-50 ms per call on a busy shared CPU (measured on the 2-core CI box).
faiss.omp_set_num_threads(1)


class VectorIndex:
    """Cosine-similarity search with add/remove by integer id."""

    def __init__(self, dim: int = 384, kind: str = "flat") -> None:
        self.dim = dim
        self.kind = kind
        self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dim: int = 384) -> VectorIndex:
        """An index over `vectors`, flat or IVF by size."""
        out = cls(dim)
        if len(ids) >= IVF_THRESHOLD:
            nlist = int(4 * np.sqrt(len(ids)))
            ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            ivf.train(np.ascontiguousarray(vectors, dtype=np.float32))
            ivf.nprobe = 16
            out.index, out.kind = ivf, "ivf"
        out.add(ids, vectors)
        return out

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            vecs = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
            self.index.add_with_ids(vecs, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: list[int]) -> int:
        if not ids:
            return 0
        return int(self.index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def ids(self) -> set[int]:
        """Every id in the index (for consistency checks)."""
        if isinstance(self.index, faiss.IndexIDMap2):
            return set(faiss.vector_to_array(self.index.id_map).tolist())
        inv = self.index.invlists
        out: set[int] = set()
        for lst in range(self.index.nlist):
            n = inv.list_size(lst)
            if n:
                ptr = inv.get_ids(lst)
                out.update(faiss.rev_swig_ptr(ptr, n).tolist())
        return out

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """The `k` nearest ids with their cosine similarity, best first; only `allowed` ids
        when given (filtered inside the search, so k results come back if k are allowed)."""
        if len(self) == 0 or k <= 0 or (allowed is not None and len(allowed) == 0):
            return []
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, self.dim)
        if allowed is None:
            scores, ids = self.index.search(q, min(k, len(self)))
        else:
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
            params = (
                faiss.SearchParametersIVF(sel=selector, nprobe=16)
                if self.kind == "ivf"
                else faiss.SearchParameters(sel=selector)
            )
            scores, ids = self.index.search(q, min(k, len(self), len(allowed)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=False) if i >= 0]

    def save(self, path: Path) -> None:
        write_atomic(path, faiss.serialize_index(self.index).tobytes())

    @classmethod
    def load(cls, path: Path, dim: int = 384) -> VectorIndex:
        out = cls(dim)
        out.index = faiss.deserialize_index(np.fromfile(str(path), dtype=np.uint8))
        out.kind = "flat" if isinstance(out.index, faiss.IndexIDMap2) else "ivf"
        return out
