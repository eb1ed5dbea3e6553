"""Retrieval-augmented generation as a service: chunking, MiniLM + FAISS + BM25, cited answers."""
