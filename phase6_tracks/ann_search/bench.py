"""Benchmark: our HNSW search vs faiss's IndexHNSWFlat and hnswlib, single-threaded, same data.

Uniform dim-32 vectors (hnswlib's recall-test data), M=16, efConstruction=200, ef=64, k=10,
at three sizes; the row's quality holds both recalls@10 and both build times. The full
recall-vs-QPS curves (and IVF-PQ) are in `sweep.py`.
"""

from __future__ import annotations

import time
from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .brute import exact_knn, recall_at_k
from .datasets import uniform
from .hnsw import HNSW

EF, K = 64, 10


def run(quick: bool = False) -> list[BenchRow]:
    """One row per size and reference; ratio below 1 means ours is faster."""
    import faiss
    import hnswlib

    faiss.omp_set_num_threads(1)
    rows = []
    n_queries = 200 if quick else 1000
    Q = uniform(n_queries, 32, seed=1)
    for n in sizes(quick, full=(10_000, 30_000, 100_000), small=(1000, 3000, 6000)):
        X = uniform(n, 32, seed=0)
        _, truth = exact_knn(X, Q, K)
        t = time.perf_counter()
        ours = HNSW(32, M=16, ef_construction=200).fit(X)
        ours_build = time.perf_counter() - t
        t = time.perf_counter()
        fh = faiss.IndexHNSWFlat(32, 16)
        fh.hnsw.efConstruction = 200
        fh.add(X)
        fh.hnsw.efSearch = EF
        faiss_build = time.perf_counter() - t
        t = time.perf_counter()
        hl = hnswlib.Index(space="l2", dim=32)
        hl.init_index(max_elements=n, M=16, ef_construction=200, random_seed=0)
        hl.set_num_threads(1)
        hl.add_items(X)
        hl.set_ef(EF)
        hl_build = time.perf_counter() - t
        ours_search = partial(ours.search, Q, K, EF)
        ours_recall = round(recall_at_k(ours_search()[1], truth), 4)
        refs = {
            "faiss": (partial(fh.search, Q, K), lambda r: r[1], faiss_build, "faiss-cpu"),
            "hnswlib": (
                partial(hl.knn_query, Q, k=K, num_threads=1),
                lambda r: r[0],
                hl_build,
                "hnswlib",
            ),
        }
        for name, (search, ids_of, build, dist) in refs.items():
            rows.append(
                compare(
                    f"HNSW search vs {name} (ef={EF})",
                    n,
                    ours_search,
                    search,
                    reference=reference_version(dist),
                    repeats=3,
                    quality={
                        "recall@10": ours_recall,
                        f"{name} recall@10": round(recall_at_k(ids_of(search()), truth), 4),
                        "build_s": round(ours_build, 2),
                        f"{name} build_s": round(build, 2),
                    },
                )
            )
    return rows
