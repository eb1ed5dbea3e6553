"""Demo: HNSW and IVF-PQ beside faiss and hnswlib, tombstones and save/load, then ranking:
a two-tower model vs popularity on held-out clicks and MMR's relevance-diversity trade-off."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from .brute import exact_knn, recall_at_k
from .datasets import bbc_articles, uniform
from .hnsw import HNSW
from .ivfpq import IVFPQ
from .sweep import best_qps


def main(quick: bool = False) -> None:
    """Print each comparison as a small table (quick: small sizes, well under a minute idle)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # one thread everywhere, NumPy's BLAS included
        _search_demo(quick)
    _ranking(quick)


def _search_demo(quick: bool) -> None:
    import faiss
    import hnswlib

    faiss.omp_set_num_threads(1)
    n = 5000 if quick else 50_000
    X, Q = uniform(n, 32, seed=0), uniform(200, 32, seed=1)
    _, truth = exact_knn(X, Q, 10)
    print(f"HNSW, uniform dim 32, n={n}, M=16, efConstruction=200, 200 queries, 1 thread")
    t = time.perf_counter()
    ours = HNSW(32, M=16, ef_construction=200).fit(X)
    built = {"ours": time.perf_counter() - t}
    t = time.perf_counter()
    fh = faiss.IndexHNSWFlat(32, 16)
    fh.hnsw.efConstruction = 200
    fh.add(X)
    built["faiss"] = time.perf_counter() - t
    t = time.perf_counter()
    hl = hnswlib.Index(space="l2", dim=32)
    hl.init_index(max_elements=n, M=16, ef_construction=200, random_seed=0)
    hl.set_num_threads(1)
    hl.add_items(X)
    built["hnswlib"] = time.perf_counter() - t
    print("  build s: " + ", ".join(f"{k} {v:.2f}" for k, v in built.items()))
    head = f"{'faiss':>6} {'QPS':>8} | {'hnswlib':>7} {'QPS':>8}"
    print(f"  {'ef':>4} | {'ours recall':>11} {'QPS':>8} | {head}")

    def faiss_ids(q: np.ndarray, ef: int) -> np.ndarray:
        fh.hnsw.efSearch = ef
        return fh.search(q, 10)[1]

    def hnswlib_ids(q: np.ndarray, ef: int) -> np.ndarray:
        hl.set_ef(max(ef, 10))
        return hl.knn_query(q, k=10, num_threads=1)[0]

    for ef in (16, 64, 200):
        cells = []
        for fn in (lambda q, e: ours.search(q, 10, e)[1], faiss_ids, hnswlib_ids):
            qps, ids = best_qps(fn, Q, ef)
            cells.append(f"{recall_at_k(ids, truth):6.3f} {qps:8,.0f}")
        print(f"  {ef:>4} | {cells[0]:>20} | {cells[1]} | {cells[2]:>16}")

    print("\nIVF-PQ, same data: nlist 64, m 8, nbits 8 (own k-means vs faiss's)")
    ivf = IVFPQ(32, 64, 8, 8).fit(X)
    fq = faiss.IndexFlatL2(32)
    fi = faiss.IndexIVFPQ(fq, 32, 64, 8, 8)
    fi.train(X)
    fi.add(X)
    for nprobe in (1, 8, 32):
        fi.nprobe = nprobe
        ours_qps, ours_ids = best_qps(lambda q, p: ivf.search(q, 10, p)[1], Q, nprobe)
        ref_qps, ref_ids = best_qps(lambda q, _: fi.search(q, 10)[1], Q, nprobe)
        ours_r, ref_r = recall_at_k(ours_ids, truth), recall_at_k(ref_ids, truth)
        print(
            f"  nprobe {nprobe:>2}: ours recall {ours_r:.3f} ({ours_qps:,.0f} QPS)"
            f" | faiss {ref_r:.3f} ({ref_qps:,.0f} QPS)"
        )

    gone = np.arange(0, n, 2)
    ours.delete(gone)
    ids = ours.search(X[gone[:100]], 10, 64)[1]
    print(f"\nDeleted {len(gone)} ids; any returned again: {bool(np.isin(ids, gone).any())}")
    with tempfile.TemporaryDirectory() as tmp:
        ours.save(Path(tmp) / "hnsw.npz")
        same = np.array_equal(
            HNSW.load(Path(tmp) / "hnsw.npz").search(Q, 10)[1], ours.search(Q, 10)[1]
        )
    print(f"save/load round trip gives identical results: {same}")


def _ranking(quick: bool) -> None:
    import torch

    from .interactions import simulate_clicks
    from .recsys_eval import mmr_tradeoff, popularity_scores, ranking_report
    from .two_tower import TwoTowerConfig, embeddings, train_two_tower

    torch.set_num_threads(1)
    _, topics = bbc_articles()
    n_users = 600 if quick else 2000
    clicks = simulate_clicks(topics, n_users)
    print(
        f"\nTwo-tower retrieval: {n_users} simulated users x {clicks.n_items} BBC articles, "
        f"{len(clicks.train)} train / {len(clicks.test)} held-out clicks"
    )
    config = TwoTowerConfig(epochs=4 if quick else 8)
    model, losses = train_two_tower(clicks.train, n_users, topics, config)
    users, items = embeddings(model)
    ours, base = (
        ranking_report(clicks, users @ items.T),
        ranking_report(clicks, popularity_scores(clicks)),
    )
    print(f"  loss per epoch: {', '.join(f'{x:.3f}' for x in losses)}")
    print(f"  {'metric':>10} {'two-tower':>10} {'popularity':>11}")
    for metric in ours:
        print(f"  {metric:>10} {ours[metric]:10.4f} {base[metric]:11.4f}")
    print("\nMMR re-ranking of the top 100 into 10: relevance vs diversity")
    print(f"  {'lambda':>6} {'ndcg@10':>8} {'recall@10':>9} {'diversity':>9} {'topics':>6}")
    for row in mmr_tradeoff(clicks, users, items):
        print(
            f"  {row['lambda']:6.1f} {row['ndcg@10']:8.4f} {row['recall@10']:9.4f} "
            f"{row['diversity']:9.4f} {row['topics']:6.2f}"
        )


if __name__ == "__main__":
    main()
