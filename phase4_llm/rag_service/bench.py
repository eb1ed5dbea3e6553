"""Benchmarks: query latency of our indexes vs brute-force references, and ingest throughput.

- dense search: our FAISS index (flat, or IVF at and above `IVF_THRESHOLD`) vs NumPy brute
  force matrix-vector product on the same L2-normalised vectors (synthetic clustered vectors:
  embedding 100k chunks with MiniLM on a laptop CPU takes hours, and search cost does not
  depend on where vectors came from). Quality: recall@10 of ours against the brute force.
- BM25 search: ours (inverted index) vs TF-IDF cosine on a SciPy sparse matrix, on BBC
  News paragraphs. Quality: overlap of the two top-10 lists (they rank differently by design).
- ingest: chunks/s through chunking, hashing embedder, SQLite and both indexes (no reference).
- the service end to end: `/query` on a real uvicorn process holding 1k/10k/100k chunks, from
  1 and 8 concurrent clients. Side by side: the client-observed latency and the pipeline's own
  `total` time for the same requests (their ratio is the HTTP and service overhead), with
  p50/p95/p99, requests/s, errors and each stage's share of the pipeline time.
- the whole corpus with MiniLM through the HTTP API (full run only, `bench_corpus.py`): batched
  int8 ONNX ingest with an empty and with a filled embedding cache beside one-document-a-request
  uncached torch ingest, and `/query` with the int8 ONNX query encoder beside the torch one.
Latency percentiles p50/p95/p99 are over single queries; the timed column is a 50-query batch.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

N_QUERIES = 50


def run(quick: bool = False) -> list[BenchRow]:
    """Dense and BM25 query latency at three sizes, and ingest throughput."""
    rows = []
    for n in sizes(quick, full=(1_000, 10_000, 100_000), small=(1_000, 3_000, 10_000)):
        rows.append(_dense(n))
    paragraphs = _bbc_paragraphs()
    for n in sizes(quick, full=(1_000, 5_000, 10_000), small=(500, 1_000, 3_000)):
        rows.append(_bm25(paragraphs, n))
    for n in sizes(quick, full=(200, 1_000, 3_000), small=(100, 200, 400)):
        rows.append(_ingest(paragraphs, n))
    for n in sizes(quick, full=(1_000, 10_000, 100_000), small=(200, 500, 1_000)):
        rows.extend(_service(paragraphs, n, clients=(1, 8), n_queries=40 if quick else 200))
    if not quick:  # the whole corpus with MiniLM through the API (bench_corpus.py)
        from phase4_llm.rag_service import bench_corpus

        rows.extend(bench_corpus.run())
    return rows


def _service(
    paragraphs: list[str], n_chunks: int, clients: tuple[int, ...], n_queries: int
) -> list[BenchRow]:
    """End-to-end /query latency on a real server process holding `n_chunks` chunks."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from phase0_env.common.testing import run_uvicorn

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "RAG_DATA_DIR": str(Path(tmp) / "store"),
            "RAG_EMBEDDER": "hashing",
            "RAG_EMBEDDING_CACHE": "",
            "RAG_API_KEYS": '["bench"]',
            "RAG_LOG_LEVEL": "WARNING",
        }
        with (
            run_uvicorn(
                "phase4_llm.rag_service.service:create_app", env=env, timeout=120
            ) as server,
            httpx.Client(timeout=120) as http,
        ):
            docs = [
                # public: the anonymous benchmark queries see every chunk (no owner filter)
                {
                    "id": f"p{i}",
                    "text": paragraphs[i % len(paragraphs)] + f" ({i})",
                    "visibility": "public",
                }
                for i in range(n_chunks)
            ]
            for start in range(0, n_chunks, 64):
                http.post(
                    server.url + "/documents",
                    headers={"x-api-key": "bench"},
                    json={"documents": docs[start : start + 64]},
                ).raise_for_status()
            rng = np.random.default_rng(2)
            queries = [
                " ".join(paragraphs[i % len(paragraphs)].split()[2:9])
                for i in rng.integers(0, n_chunks, n_queries)
            ]
            for k in clients:
                rows.append(_service_row(server.url, queries, k, n_chunks, ThreadPoolExecutor))
    return rows


def _service_row(url: str, queries: list[str], k: int, n_chunks: int, pool) -> BenchRow:  # type: ignore[no-untyped-def]
    import httpx

    local = threading.local()  # one keep-alive connection per client thread

    def one(q: str) -> tuple[float, dict, int]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=120)
        start = time.perf_counter()
        r = local.client.post(url + "/query", json={"query": q})
        elapsed = time.perf_counter() - start
        return (
            elapsed,
            (r.json().get("latency_ms", {}) if r.status_code == 200 else {}),
            r.status_code,
        )

    start = time.perf_counter()
    with pool(max_workers=k) as ex:
        results = list(ex.map(one, queries))
    wall = time.perf_counter() - start
    client_ms = np.array([r[0] * 1e3 for r in results])
    stages = [r[1] for r in results if r[1]]
    total = np.array([s.get("total", 0.0) for s in stages])
    shares = {
        f"share_{name}": round(
            float(np.mean([s.get(name, 0.0) for s in stages]) / max(total.mean(), 1e-9)), 3
        )
        for name in ("embed", "dense", "bm25", "fuse", "rerank", "generate")
    }
    # What the named stages do not cover (queueing on the pipeline's lock under concurrency).
    shares["share_other"] = round(1.0 - sum(shares.values()), 3)
    p = np.percentile(client_ms, [50, 95, 99])
    quality = {
        "clients": k,
        "requests_per_s": round(len(queries) / wall, 2),
        "errors": sum(r[2] != 200 for r in results),
        "p50_ms": round(float(p[0]), 2),
        "p95_ms": round(float(p[1]), 2),
        "p99_ms": round(float(p[2]), 2),
        **shares,
    }
    return BenchRow(
        f"service /query, {k} client{'s' if k > 1 else ''}",
        n_chunks,
        float(np.median(client_ms)) / 1e3,
        "pipeline total of the same requests (in-process time)",
        float(np.median(total)) / 1e3 if len(total) else None,
        quality,
    )


def _percentiles(fn, queries) -> dict[str, float]:  # type: ignore[no-untyped-def]
    times = []
    for q in queries:
        start = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - start) * 1e3)
    p = np.percentile(times, [50, 95, 99])
    return {
        "p50_ms": round(float(p[0]), 4),
        "p95_ms": round(float(p[1]), 4),
        "p99_ms": round(float(p[2]), 4),
    }


def _dense(n: int) -> BenchRow:
    from phase4_llm.rag_service.vector_index import VectorIndex

    rng = np.random.default_rng(0)
    # Clustered like real embeddings (topics), not isotropic noise, on which no ANN index can
    # beat chance: 200 topic centres, each vector a centre plus noise.
    centres = rng.standard_normal((200, 384)).astype(np.float32)
    vecs = centres[rng.integers(0, 200, n)] + 0.6 * rng.standard_normal((n, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = VectorIndex.build(np.arange(n), vecs)
    queries = vecs[rng.choice(n, N_QUERIES, replace=False)] + 0.05 * rng.standard_normal(
        (N_QUERIES, 384)
    ).astype(np.float32)

    def ours() -> list:
        return [index.search(q, 10) for q in queries]

    def ref() -> list:
        return [np.argsort(-(vecs @ q))[:10] for q in queries]

    got, want = ours(), ref()
    recall = np.mean(
        [len({i for i, _ in g} & set(w.tolist())) / 10 for g, w in zip(got, want, strict=False)]
    )
    quality = {
        "index": index.kind,
        "recall@10_vs_brute": round(float(recall), 4),
        **_percentiles(lambda q: index.search(q, 10), queries),
    }
    return compare(
        f"dense top-10 ({index.kind} faiss vs numpy brute force)",
        n,
        ours,
        ref,
        reference=f"numpy {np.__version__} brute force ({reference_version('faiss-cpu')})",
        repeats=3,
        quality=quality,
    )


def _bbc_paragraphs() -> list[str]:
    from phase4_llm.rag_service.corpus import bbc_documents

    out: list[str] = []
    for doc in bbc_documents():
        out.extend(p.strip() for p in doc.text.split("\n\n") if len(p.split()) >= 8)
    return out


def _bm25(paragraphs: list[str], n: int) -> BenchRow:
    from phase4_llm.rag_service.bm25 import BM25Index, tokenize

    texts = [paragraphs[i % len(paragraphs)] for i in range(n)]
    index = BM25Index()
    for i, t in enumerate(texts):
        index.add(i, t)
    from scipy.sparse import csr_matrix

    vocab = {t: j for j, t in enumerate(sorted(index.postings))}
    rows, cols = [], []
    for i, t in enumerate(texts):
        for tok in tokenize(t):
            rows.append(i)
            cols.append(vocab[tok])
    tf = csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n, len(vocab)))
    tf.sum_duplicates()
    df = np.bincount(tf.indices, minlength=len(vocab))
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    tfidf = csr_matrix(tf.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    tfidf = csr_matrix(tfidf.multiply(1 / np.maximum(norms, 1e-12)[:, None]))
    rng = np.random.default_rng(1)
    queries = [" ".join(texts[i].split()[3:9]) for i in rng.choice(n, N_QUERIES, replace=False)]

    def ref_one(q: str) -> np.ndarray:
        v = np.zeros(len(vocab), dtype=np.float32)
        for tok in tokenize(q):
            if tok in vocab:
                v[vocab[tok]] += idf[vocab[tok]]
        return np.argsort(-(tfidf @ v))[:10]  # sparse matrix x dense vector

    overlap = np.mean(
        [len({i for i, _ in index.search(q, 10)} & set(ref_one(q).tolist())) / 10 for q in queries]
    )
    quality = {
        "top10_overlap_with_tfidf": round(float(overlap), 4),
        **_percentiles(lambda q: index.search(q, 10), queries),
    }
    return compare(
        "bm25 top-10 (ours, inverted index vs sparse tf-idf matrix)",
        n,
        lambda: [index.search(q, 10) for q in queries],
        lambda: [ref_one(q) for q in queries],
        reference=f"TF-IDF cosine on a sparse matrix ({reference_version('scipy')})",
        repeats=3,
        quality=quality,
    )


def _ingest(paragraphs: list[str], n_docs: int) -> BenchRow:
    from phase4_llm.rag_service.embedding import HashingEmbedder
    from phase4_llm.rag_service.pipeline import Document, RAGPipeline

    docs = [Document(f"d{i}", paragraphs[i % len(paragraphs)]) for i in range(n_docs)]
    chunks = []

    def ours() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            pipe = RAGPipeline(Path(tmp), HashingEmbedder())
            pipe.upsert(docs)
            chunks.append(len(pipe.store.vectors))
            pipe.close()

    row = compare(
        "ingest (chunk, hash-embed, sqlite, faiss, bm25, persist)",
        n_docs,
        ours,
        None,
        reference="none (throughput only)",
        repeats=1,
        warmup=0,
    )
    row.quality = {"chunks": chunks[-1], "chunks_per_s": round(chunks[-1] / row.ours_s, 1)}
    return row
