"""Whole-corpus benchmark through the HTTP API with MiniLM: cold and warm ingest, query latency.

- ingest, cold: `POST /documents` in batches of 64 (the API's limit) on a real uvicorn process
  with an EMPTY embedding cache (a new file in a temp dir) and the service's default encoder
  (int8 ONNX, 2 threads for ingest batches), at three corpus sizes up to all 2,127 BBC
  articles, beside the plain way: one request per document, no cache, the torch encoder (its
  chunks/s measured on a slice, projected to each size).
- ingest, warm: the same sizes again into new stores, with the cache the cold whole-corpus run
  filled (a chunk text is embedded once, ever).
- query: `POST /query` (extractive) over the cold run's whole-corpus store from one client,
  int8 ONNX query encoder (1 thread), beside the plain torch encoder and the fp32 ONNX one on
  an fp32 store of the same corpus (ingested with the project's embedding cache
  `.cache/rag_service/embeddings.sqlite`: minutes once while that cache is cold). The query
  servers have no embedding cache, so every question and its up to 8 candidate sentences are
  embedded (sentence vectors are memoised in the process once embedded).
The semantic injection screen is off for all (it embeds every sentence of every document:
42k sentences; the pattern screen still runs). Run: `python -m phase4_llm.rag_service.bench_corpus`
(`--quick`: 100/200/400 articles, 40 questions).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from phase0_env.common.bench import BenchRow
from phase4_llm.rag_service.reader import is_trained

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "rag_service" / "embeddings.sqlite"
INGEST_GOAL_S, P50_GOAL_MS, P99_GOAL_MS = 180.0, 50.0, 200.0  # whole corpus, 2 cores


@contextmanager
def _server(
    data: Path,
    cache: str,
    encoder: str = "onnx-int8",
    reader: str = "off",
    reader_backend: str = "int8",
) -> Iterator[str]:
    from phase0_env.common.testing import run_uvicorn

    env = {
        "RAG_DATA_DIR": str(data),
        "RAG_EMBEDDER": "minilm",
        "RAG_ENCODER": encoder,
        "RAG_EMBEDDING_CACHE": cache,
        "RAG_SEMANTIC_SCREEN": "off",
        "RAG_READER": reader,
        "RAG_READER_BACKEND": reader_backend,
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


def plain_rate(n_docs: int) -> float:
    """Chunks/s of the plain way: one document a request, no cache, torch encoder."""
    with tempfile.TemporaryDirectory() as tmp, _server(Path(tmp) / "p", "", "torch") as url:
        secs, chunks = _ingest(url, _docs(n_docs), batch=1)
    return chunks / secs


def ingest_rows(
    sizes: tuple[int | None, ...], plain: float, plain_docs: int, cache: Path, keep: Path
) -> tuple[list[BenchRow], int]:
    """Cold ingest at each size (a new, empty cache each; the last one's is `cache` and its
    store is `keep`), then warm ingest at each size with `cache`. Returns rows and the
    whole store's chunks."""
    rows, chunks = [], 0
    reference = (
        f"one document a request, no cache, torch encoder ({plain_docs} documents, projected)"
    )
    for warm in (False, True):
        for i, n in enumerate(sizes):
            last = i == len(sizes) - 1
            with tempfile.TemporaryDirectory() as tmp:
                data = keep if last and not warm else Path(tmp) / "s"
                file = cache if warm or last else Path(tmp) / "emb.sqlite"
                with _server(data, str(file)) as url:
                    secs, chunks = _ingest(url, _docs(n), batch=64)
            kind = "warm (embedding cache filled)" if warm else "cold (empty embedding cache)"
            quality: dict[str, Any] = {
                "chunks": chunks,
                "chunks_per_s": round(chunks / secs, 1),
                "plain_chunks_per_s": round(plain, 2),
            }
            if n is None:
                quality["goal_s"], quality["goal_met"] = INGEST_GOAL_S, secs <= INGEST_GOAL_S
            rows.append(
                BenchRow(
                    f"ingest via HTTP, {kind}, MiniLM int8 ONNX, 64-document batches",
                    len(_docs(n)),
                    secs,
                    reference,
                    chunks / plain,
                    quality,
                )
            )
    return rows, chunks


def _latencies(url: str, questions: list[str]) -> tuple[np.ndarray, list[dict[str, float]]]:
    """Client-side ms of each `/query`, and the pipeline's own per-stage ms."""
    import httpx

    client, stages = [], []
    with httpx.Client(timeout=120) as http:
        http.post(url + "/query", json={"query": "warm-up question"})
        for q in questions:
            start = time.perf_counter()
            r = http.post(url + "/query", json={"query": q})
            client.append((time.perf_counter() - start) * 1e3)
            r.raise_for_status()
            stages.append(r.json()["latency_ms"])
    return np.array(client), stages


def query_rows(data: Path, chunks: int, n_queries: int, n_docs: int | None) -> list[BenchRow]:
    """`/query` latency: int8 ONNX on `data` vs torch and fp32 ONNX on an fp32 store."""
    from phase4_llm.rag_service.eval_set import natural_questions

    questions = [q.question for q in natural_questions()][:n_queries]
    with _server(data, "") as url:
        ours, stages = _latencies(url, questions)
    read: dict[str, float | None] = {}
    if is_trained():  # the trained reader, beside the rules (same store): int8 ONNX and torch
        for backend, name in (("int8", "reader"), ("torch", "reader_torch")):
            with _server(data, "", reader="auto", reader_backend=backend) as url:
                lat, st = _latencies(url, questions)
            read.update(
                {f"{name}_p{q}_ms": round(float(np.percentile(lat, q)), 1) for q in (50, 99)}
            )
            reads = [x["read"] for x in st if "read" in x]  # questions with a pool to read
            read[f"{name}_read_p50_ms"] = round(float(np.median(reads)), 1) if reads else None
    ref: dict[str, np.ndarray] = {}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32"
        with _server(fp32, str(CACHE), "onnx") as url:
            _ingest(url, _docs(n_docs), batch=64)
        for encoder in ("torch", "onnx"):
            with _server(fp32, "", encoder) as url:
                ref[encoder], _ = _latencies(url, questions)
    p50, p99 = (float(np.percentile(ours, q)) for q in (50, 99))
    pct = {k: np.percentile(v, [50, 99]) for k, v in ref.items()}
    # "generate" (sentence choice, the decline score's sentence vectors, the answer) is
    # timed only for questions that are answered.
    keys = dict.fromkeys(k for s in stages for k in s)
    stage_p50 = {
        f"{k}_p50_ms": round(float(np.median([s[k] for s in stages if k in s])), 1) for k in keys
    }
    return [
        BenchRow(
            "service /query, MiniLM int8 ONNX query encoder, extractive, 1 client",
            chunks,
            p50 / 1e3,
            "torch query encoder (sentence-transformers), fp32 store of the same corpus",
            float(pct["torch"][0]) / 1e3,
            {
                "queries": len(questions),
                "p50_ms": round(p50, 1),
                "p99_ms": round(p99, 1),
                "goal_met": p50 <= P50_GOAL_MS and p99 <= P99_GOAL_MS,
                **stage_p50,
                "torch_p50_ms": round(float(pct["torch"][0]), 1),
                "torch_p99_ms": round(float(pct["torch"][1]), 1),
                "fp32_onnx_p50_ms": round(float(pct["onnx"][0]), 1),
                "fp32_onnx_p99_ms": round(float(pct["onnx"][1]), 1),
                **read,
            },
        )
    ]


def run(quick: bool = False) -> list[BenchRow]:
    """Cold and warm ingest at three sizes (quick: 100/200/400 articles), then query latency
    on the largest store (quick: 40 questions, else 150)."""
    sizes: tuple[int | None, ...] = (100, 200, 400) if quick else (500, 1000, None)
    plain_docs = 10 if quick else 30
    plain = plain_rate(plain_docs)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "store"
        rows, chunks = ingest_rows(sizes, plain, plain_docs, Path(tmp) / "emb.sqlite", data)
        rows += query_rows(data, chunks, 40 if quick else 150, sizes[-1])
    return rows


def main() -> int:
    load_before = os.getloadavg()
    rows = run(quick="--quick" in sys.argv)
    machine = {
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    out = REPO / "artifacts" / "rag_service" / "bench_corpus.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    records = [{**r.__dict__, "ratio": r.ratio} for r in rows]
    out.write_text(json.dumps({"machine": machine, "rows": records}, indent=1))
    print(json.dumps(machine))
    for rec in records:
        print(json.dumps(rec))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
