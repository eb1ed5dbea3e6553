"""Parity checks: HNSW recall vs hnswlib, IVF-PQ and PQ vs faiss, ranking metrics vs sklearn."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .brute import exact_knn, recall_at_k
from .datasets import uniform
from .hnsw import HNSW
from .ivfpq import IVFPQ
from .pq import ProductQuantizer
from .ranking_metrics import mean_average_precision, mean_reciprocal_rank, ndcg_at_k


def checks() -> list[ParityResult]:
    """Every check, on seeded data, in well under 30 s."""
    return [*_hnsw_checks(), *_ivfpq_checks(), *_metric_checks()]


def _hnsw_checks() -> list[ParityResult]:
    import hnswlib

    X, Q = uniform(3000, 32, seed=0), uniform(100, 32, seed=1)
    _, truth = exact_knn(X, Q, 10)
    ours = HNSW(32, M=16, ef_construction=200).fit(X)
    ref = hnswlib.Index(space="l2", dim=32)
    ref.init_index(max_elements=len(X), M=16, ef_construction=200, random_seed=0)
    ref.set_num_threads(1)
    ref.add_items(X)
    out = []
    for ef in (16, 200):  # ef=16 is where recall is far from 1 and the graphs can differ
        ref.set_ef(ef)
        out.append(
            compare(
                f"HNSW recall@10 (M=16, efC=200, ef={ef}) vs hnswlib's, +-0.02",
                recall_at_k(ours.search(Q, 10, ef=ef)[1], truth),
                recall_at_k(ref.knn_query(Q, k=10)[0], truth),
                reference=reference_version("hnswlib"),
                rtol=0.0,
                atol=0.02,
            )
        )
    ours_recall = recall_at_k(ours.search(Q, 10, ef=200)[1], truth)
    out += [
        behaviour(
            "HNSW recall@10 > 0.95 on hnswlib's uniform dim-32 test",
            ours_recall > 0.95,
            f"recall {ours_recall:.4f}",
        ),
    ]
    gone = np.arange(0, 3000, 2)
    ours.delete(gone)
    ids = ours.search(X[gone[:50]], 20, ef=100)[1]
    out.append(behaviour("HNSW never returns a deleted id", not np.isin(ids, gone).any()))
    with tempfile.TemporaryDirectory() as tmp:
        ours.save(Path(tmp) / "h.npz")
        same = np.array_equal(
            HNSW.load(Path(tmp) / "h.npz").search(Q, 10)[1], ours.search(Q, 10)[1]
        )
    out.append(behaviour("HNSW save/load round trip returns identical results", same))
    return out


def _ivfpq_checks() -> list[ParityResult]:
    import faiss

    faiss.omp_set_num_threads(1)
    ref_name = reference_version("faiss-cpu")
    X, Q = uniform(3000, 32, seed=2), uniform(100, 32, seed=3)
    quantizer = faiss.IndexFlatL2(32)
    ref = faiss.IndexIVFPQ(quantizer, 32, 16, 8, 6)
    ref.cp.niter = 10
    ref.pq.cp.niter = 10
    ref.train(X)
    ref.add(X)
    ref.nprobe = 4
    books = faiss.vector_to_array(ref.pq.centroids).reshape(8, 64, 4)
    ours = IVFPQ(32, 16, 8, 6).set_codebooks(quantizer.reconstruct_n(0, 16), books).add(X)
    d, i = ours.search(Q, 10, nprobe=4)
    ref_d, ref_i = ref.search(Q, 10)
    pq = faiss.ProductQuantizer(32, 8, 8)
    pq.cp.niter = 5
    pq.train(X)
    mine = ProductQuantizer(32, 8, 8).set_centroids(
        faiss.vector_to_array(pq.centroids).reshape(8, 256, 4)
    )
    codes = pq.compute_codes(X)
    return [
        # float32 sums in another order: 1e-5 relative.
        compare(
            "IVF-PQ distances, faiss's codebooks (nlist 16, m 8, nbits 6, nprobe 4)",
            d,
            ref_d,
            reference=ref_name,
            rtol=1e-5,
            atol=1e-6,
        ),
        behaviour(
            "IVF-PQ ids equal faiss's (>= 99%, ties aside)",
            (i == ref_i).mean() >= 0.99,
            f"{(i == ref_i).mean():.4f} equal",
        ),
        compare(
            "PQ encode, faiss's codebooks", mine.encode(X), codes, reference=ref_name, exact=True
        ),
        compare("PQ decode", mine.decode(codes), pq.decode(codes), reference=ref_name, exact=True),
    ]


def _metric_checks() -> list[ParityResult]:
    from sklearn.metrics import label_ranking_average_precision_score, ndcg_score

    sk = reference_version("scikit-learn")
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, (50, 40)) * (rng.random((50, 40)) < 0.3)
    y_true[:, 0] = np.maximum(y_true[:, 0], 1)  # every row has a relevant item
    y_score = rng.integers(0, 8, (50, 40)).astype(float)  # many ties
    one = np.zeros_like(y_score)
    one[np.arange(50), rng.integers(0, 40, 50)] = 1
    return [
        compare(
            "NDCG@10 (graded, tied scores)",
            ndcg_at_k(y_true, y_score, 10),
            ndcg_score(y_true, y_score, k=10),
            reference=sk,
            rtol=1e-12,
        ),
        compare(
            "MAP = sklearn LRAP",
            mean_average_precision(y_true, y_score),
            label_ranking_average_precision_score(y_true > 0, y_score),
            reference=sk,
            rtol=1e-12,
        ),
        compare(
            "MRR = LRAP, one relevant per row",
            mean_reciprocal_rank(one, y_score),
            label_ranking_average_precision_score(one, y_score),
            reference=sk,
            rtol=1e-12,
        ),
    ]
