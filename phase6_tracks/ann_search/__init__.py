"""ANN search and ranking: HNSW and IVF-PQ written here vs faiss and hnswlib; NDCG/MAP/MRR,
a two-tower retrieval model and MMR re-ranking."""
