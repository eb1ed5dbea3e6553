"""Whole-corpus benchmark through the HTTP API with MiniLM: ingest time and query latency.

- ingest: `POST /documents` in batches of 64 (the API's limit) on a real uvicorn process,
  at three corpus sizes up to all 2,127 BBC articles, with the embedding cache (vectors of a
  chunk text computed once, ever) beside the plain way: one request per document, no cache,
  the torch encoder (its chunks/s on a slice, projected to the corpus).
- query: `POST /query` (extractive) over the full store from one client, with the ONNX query
  encoder beside the torch one (the same server data, restarted with `RAG_ENCODER=torch`);
  no embedding cache on these servers, so every question is embedded.
The semantic injection screen is off in both (it embeds every sentence of every document:
42k sentences; the pattern screen still runs). Run: `python -m phase4_llm.rag_service.bench_corpus`.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from phase0_env.common.bench import BenchRow

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "rag_service" / "embeddings.sqlite"


@contextmanager
def _server(data: Path, cache: str, encoder: str = "onnx") -> Iterator[str]:
    from phase0_env.common.testing import run_uvicorn

    env = {
        "RAG_DATA_DIR": str(data),
        "RAG_EMBEDDER": "minilm",
        "RAG_ENCODER": encoder,
        "RAG_EMBEDDING_CACHE": cache,
        "RAG_SEMANTIC_SCREEN": "off",
        "RAG_API_KEYS": '["bench"]',
        "RAG_LOG_LEVEL": "WARNING",
    }
    with run_uvicorn("phase4_llm.rag_service.service:create_app", env=env, timeout=600) as s:
        yield s.url


def _docs(n: int | None) -> list[dict[str, Any]]:
    from phase4_llm.rag_service.corpus import bbc_documents

    return [
        {"id": d.doc_id, "text": d.text, "title": d.title, "visibility": "public"}
        for d in bbc_documents()[:n]
    ]


def _ingest(url: str, docs: list[dict[str, Any]], batch: int) -> tuple[float, int]:
    """Seconds to POST `docs` in batches, and the chunks written."""
    import httpx

    chunks = 0
    start = time.perf_counter()
    with httpx.Client(timeout=3600, headers={"X-API-Key": "bench"}) as http:
        for i in range(0, len(docs), batch):
            r = http.post(url + "/documents", json={"documents": docs[i : i + batch]})
            r.raise_for_status()
            chunks += sum(d["n_chunks"] for d in r.json()["results"])
    return time.perf_counter() - start, chunks


def ingest_rows(
    sizes: tuple[int | None, ...], plain_docs: int, keep: Path
) -> tuple[list[BenchRow], int]:
    """Batched cached ingest at each size beside the plain way's projected time; the last
    size's store stays in `keep` (for the query benchmark). Returns rows and its chunks."""
    with tempfile.TemporaryDirectory() as tmp, _server(Path(tmp) / "p", "", "torch") as url:
        plain_s, plain_chunks = _ingest(url, _docs(plain_docs), batch=1)
    plain_rate = plain_chunks / plain_s
    rows, chunks = [], 0
    for i, n in enumerate(sizes):
        docs = _docs(n)
        with tempfile.TemporaryDirectory() as tmp:
            data = keep if i == len(sizes) - 1 else Path(tmp) / "s"
            with _server(data, str(CACHE)) as url:
                secs, chunks = _ingest(url, docs, batch=64)
        rows.append(
            BenchRow(
                "ingest via HTTP, MiniLM (64-document batches, embedding cache)",
                len(docs),
                secs,
                f"one document a request, no cache, torch encoder ({plain_docs} documents, "
                "projected)",
                chunks / plain_rate,
                {
                    "chunks": chunks,
                    "chunks_per_s": round(chunks / secs, 1),
                    "plain_chunks_per_s": round(plain_rate, 2),
                },
            )
        )
    return rows, chunks


def query_rows(data: Path, chunks: int, n_queries: int) -> list[BenchRow]:
    """`/query` latency over the store in `data`: ONNX query encoder vs torch, one client,
    no embedding cache (every question is embedded)."""
    import httpx

    from phase4_llm.rag_service.eval_set import natural_questions

    questions = [q.question for q in natural_questions()][:n_queries]
    timings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for encoder in ("onnx", "torch"):
        with _server(data, "", encoder) as url, httpx.Client(timeout=120) as http:
            http.post(url + "/query", json={"query": "warm-up question"})
            client, total = [], []
            for q in questions:
                start = time.perf_counter()
                r = http.post(url + "/query", json={"query": q})
                client.append((time.perf_counter() - start) * 1e3)
                total.append(r.json()["latency_ms"]["total"])
            timings[encoder] = (np.array(client), np.array(total))
    (ours, ours_total), (ref, _) = timings["onnx"], timings["torch"]
    p = {k: np.percentile(v, [50, 99]) for k, v in (("ours", ours), ("ref", ref))}
    return [
        BenchRow(
            "service /query, MiniLM ONNX query encoder, extractive, 1 client",
            chunks,
            float(np.median(ours)) / 1e3,
            "same server data, torch query encoder",
            float(np.median(ref)) / 1e3,
            {
                "queries": len(questions),
                "p50_ms": round(float(p["ours"][0]), 1),
                "p99_ms": round(float(p["ours"][1]), 1),
                "pipeline_p50_ms": round(float(np.median(ours_total)), 1),
                "torch_p50_ms": round(float(p["ref"][0]), 1),
                "torch_p99_ms": round(float(p["ref"][1]), 1),
            },
        )
    ]


def run(quick: bool = False) -> list[BenchRow]:
    """Ingest at three sizes (quick: 100/200/400 articles), then query latency on the
    largest store (quick: 40 questions, else 150)."""
    sizes: tuple[int | None, ...] = (100, 200, 400) if quick else (500, 1000, None)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "store"
        rows, chunks = ingest_rows(sizes, 10 if quick else 30, data)
        rows += query_rows(data, chunks, 40 if quick else 150)
    return rows


def main() -> int:
    rows = run(quick="--quick" in sys.argv)
    out = REPO / "artifacts" / "rag_service" / "bench_corpus.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps([{**r.__dict__, "ratio": r.ratio} for r in rows], indent=1))
    for r in rows:
        print(json.dumps({**r.__dict__, "ratio": r.ratio}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
