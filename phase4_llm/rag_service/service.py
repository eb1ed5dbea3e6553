"""The RAG HTTP service on the kit's `create_service_app`.

Write routes need an API key; each key acts as a principal that owns the documents it writes
(`auth.py`, `access.py`): a key lists, queries and deletes its own documents plus public ones,
an admin key all of them, an anonymous caller public ones only. Every route is rate-limited by
the kit; inputs are length-bounded; queries carrying instructions are refused (400); an
unreachable LLM backend is a 502 and makes `/readyz` not ready (`readiness.py`). Run with
`uvicorn --factory phase4_llm.rag_service.service:create_app`; settings come from `RAG_*`
environment variables.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal, cast

import httpx
from fastapi import Depends, Query
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import Counter, Gauge, Histogram
from pydantic import BaseModel, Field, field_validator, model_validator

from phase0_env.common.service import ServiceSettings, create_service_app, problem
from phase4_llm.common.semantic_screen import (
    DOCUMENT_THRESHOLDS,
    QUERY_THRESHOLDS,
    Encoder,
    SemanticScreen,
    minilm_encoder,
)
from phase4_llm.rag_service.access import OwnershipError, Viewer
from phase4_llm.rag_service.auth import KeyGrant, caller_dependencies, key_principals
from phase4_llm.rag_service.dashboard import RecentWindow, render_dashboard
from phase4_llm.rag_service.embedding import Embedder, MiniLMEmbedder, make_embedder
from phase4_llm.rag_service.generators import make_generator
from phase4_llm.rag_service.pipeline import Document, RAGPipeline
from phase4_llm.rag_service.reader import load_reader
from phase4_llm.rag_service.readiness import Readiness
from phase4_llm.rag_service.retrieval import MODES
from phase4_llm.rag_service.safety import injection_matches

REPO = Path(__file__).resolve().parents[2]
STAGES = ("embed", "dense", "bm25", "fuse", "rerank", "read", "generate", "total")


class RagSettings(ServiceSettings):
    """Settings from `RAG_*` environment variables."""

    model_config = ServiceSettings.model_config | {"env_prefix": "RAG_"}
    service_name: str = "rag"
    data_dir: str = str(REPO / ".cache" / "rag_service" / "store")
    embedder: str = "minilm"
    embedding_cache: str = str(REPO / ".cache" / "rag_service" / "embeddings.sqlite")  # "" = off
    generator: str = "extractive"
    llm_url: str = ""
    llm_model: str = "default"
    max_query_chars: int = 1000
    max_document_chars: int = 200_000
    max_batch: int = 64
    # Second injection check (MiniLM similarity to labelled attacks): "auto" = on with the
    # MiniLM embedder (shares its model), off with the hashing stand-in.
    semantic_screen: Literal["auto", "on", "off"] = "auto"
    # The trained reader (reader.py; `python -m phase4_llm.rag_service.train_reader` first):
    # "auto" = on when it has been trained here, "off" = the rules alone.
    reader: Literal["auto", "off"] = "off"
    # How the reader runs (reader.BACKENDS): int8 ONNX (default), fused fp32 ONNX, or torch.
    reader_backend: Literal["int8", "onnx", "torch"] = "int8"
    keys: list[KeyGrant] = Field(default_factory=list)  # named principals, admin flag: auth.py

    @model_validator(mode="after")
    def grants_are_accepted_keys(self) -> RagSettings:
        # The kit's own key handling (rate-limit buckets) must know the granted keys too.
        known = {k.get_secret_value() for k in self.api_keys}
        self.api_keys = self.api_keys + [
            g.key for g in self.keys if g.key.get_secret_value() not in known
        ]
        return self


class DocumentIn(BaseModel):
    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:/-]+$")
    text: str = Field(min_length=1, max_length=200_000)
    format: Literal["text", "markdown", "html"] = "text"
    title: str = Field(default="", max_length=500)
    source: str = Field(default="", max_length=500)
    visibility: Literal["private", "public"] = "private"

    @field_validator("id")
    @classmethod
    def no_dot_segments(cls, v: str) -> str:
        # Ids appear in URLs (DELETE /documents/{id}); ".." segments would be normalised away.
        if ".." in v.split("/") or v.startswith("/"):
            raise ValueError("id may not contain '..' segments or start with '/'")
        return v


class UpsertIn(BaseModel):
    documents: list[DocumentIn] = Field(min_length=1, max_length=64)


class QueryIn(BaseModel):
    query: str = Field(min_length=1, max_length=1000)
    k: int = Field(default=6, ge=1, le=20)
    mode: Literal["dense", "bm25", "hybrid", "hybrid_rerank"] = "hybrid_rerank"


def create_app(settings: RagSettings | None = None):  # type: ignore[no-untyped-def]
    """The app factory (uvicorn `--factory`)."""
    settings = settings or RagSettings()
    state: dict = {}
    readiness = Readiness(settings.llm_url if settings.generator == "openai" else "")
    app = create_service_app(
        settings,
        title="RAG service",
        ready=lambda: readiness.status()[0],
        description="Cited answers over your documents",
    )
    _readyz_with_reasons(app, readiness)
    reg = app.state.metrics_registry
    stage_hist = Histogram(
        "rag_stage_seconds",
        "Latency of each query stage",
        ["stage"],
        registry=reg,
        buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    )
    errors = Counter("rag_errors_total", "Errors by kind", ["kind"], registry=reg)
    blocked = Counter(
        "rag_blocked_total", "Requests refused by the abuse screens", ["reason"], registry=reg
    )
    cache_hits = Gauge("rag_embedding_cache_hits", "Embedding cache hits since start", registry=reg)
    cache_misses = Gauge(
        "rag_embedding_cache_misses", "Embedding cache misses since start", registry=reg
    )
    index_size = Gauge("rag_index_chunks", "Chunks in the index", registry=reg)
    documents_g = Gauge("rag_documents", "Documents in the store", registry=reg)
    not_found = Counter("rag_not_found_total", "Queries answered 'not found'", registry=reg)
    window = RecentWindow()

    def pipeline() -> RAGPipeline:
        if "pipeline" not in state:
            cache = Path(settings.embedding_cache) if settings.embedding_cache else None
            embedder = make_embedder(settings.embedder, cache)
            generator = make_generator(settings.generator, settings.llm_url, settings.llm_model)
            reader = (
                load_reader(backend=settings.reader_backend) if settings.reader == "auto" else None
            )
            state["pipeline"] = RAGPipeline(
                Path(settings.data_dir), embedder, generator, reader=reader
            )
            refresh()
        return state["pipeline"]

    def refresh() -> None:
        p = state["pipeline"]
        index_size.set(len(p.store.vectors))
        documents_g.set(p.store.n_documents())
        cache_hits.set(p.embedder.cache.hits)
        cache_misses.set(p.embedder.cache.misses)

    pipeline()  # build at start-up; the model loads in the background, /readyz waits for it
    readiness.checks["store"] = "ok"

    def warm_up() -> None:
        p = state["pipeline"]
        p.embedder.warm_up()
        if settings.semantic_screen == "on" or (
            settings.semantic_screen == "auto" and settings.embedder == "minilm"
        ):
            screen = make_semantic_screen(p.embedder)
            p.injection_screen = screen.with_thresholds(DOCUMENT_THRESHOLDS).flags
            state["query_screen"] = screen

    readiness.warm_up(warm_up)
    optional_caller, required_caller = caller_dependencies(
        key_principals(settings.api_keys, settings.keys, state["pipeline"].store.principal_salt())
    )
    # Plain defaults, not Annotated aliases: under `from __future__ import annotations` FastAPI
    # cannot resolve an alias local to this function.
    anyone, keyed = Depends(optional_caller), Depends(required_caller)

    @app.post(
        "/documents", tags=["documents"], responses={401: {}, 403: {}, 409: {}, 413: {}, 429: {}}
    )
    def upsert(body: UpsertIn, caller: Viewer = keyed) -> dict:
        """Batch upsert, all or nothing: unchanged documents are a no-op, changed ones replace
        their chunks; a document id owned by another key is 409 and nothing is written."""
        if len(body.documents) > settings.max_batch:
            return cast(
                dict, problem(413, "Payload Too Large", f"at most {settings.max_batch} documents")
            )
        docs = [
            Document(
                d.id,
                d.text[: settings.max_document_chars],
                d.format,
                d.title,
                d.source,
                d.visibility,
            )
            for d in body.documents
        ]
        try:
            results = pipeline().upsert(docs, viewer=caller)
        except OwnershipError as exc:
            return cast(dict, problem(409, "Conflict", str(exc)))
        for r in results:
            if r.get("flagged"):
                blocked.labels("document_injection").inc()
        refresh()
        return {"results": results}

    @app.delete(
        "/documents/{doc_id:path}", tags=["documents"], responses={401: {}, 403: {}, 404: {}}
    )
    def delete(doc_id: str, caller: Viewer = keyed):  # type: ignore[no-untyped-def]
        """Remove one of the caller's documents (any, for an admin) from FAISS, BM25 and SQLite;
        another key's document is 404, like a missing one."""
        if not pipeline().delete(doc_id, caller):
            return problem(404, "Not Found", f"no document {doc_id!r}")
        refresh()
        return {"deleted": doc_id}

    @app.get("/documents", tags=["documents"], responses={403: {}, 429: {}})
    def list_documents(
        caller: Viewer = anyone,
        limit: int = Query(100, ge=1, le=1000),
        offset: int = Query(0, ge=0, le=2**31 - 1),
    ) -> dict:
        """Documents the caller may see (own and public; all for an admin), by id."""
        return {"documents": pipeline().store.documents(limit, offset, caller)}

    @app.post("/query", tags=["query"], responses={400: {}, 403: {}, 429: {}, 502: {}})
    def query(body: QueryIn, caller: Viewer = anyone):  # type: ignore[no-untyped-def]
        """Answer from the caller's and public documents, with citations (snippets, scores)
        and per-stage latency."""
        if len(body.query) > settings.max_query_chars:
            return problem(413, "Payload Too Large", f"query over {settings.max_query_chars} chars")
        query_screen = state.get("query_screen")
        if injection_matches(body.query) or (query_screen and query_screen.flags([body.query])[0]):
            blocked.labels("query_injection").inc()
            window.add(time.time(), {}, error=True)
            return problem(400, "Bad Request", "the query looks like a prompt injection")
        try:
            answer = pipeline().query(body.query, body.k, body.mode, caller)
        except httpx.HTTPError as exc:  # the LLM backend is down or failed: not our 500
            errors.labels("llm_backend").inc()
            window.add(time.time(), {}, error=True)
            readiness.backend_failed(exc)
            return problem(
                502, "Bad Gateway", f"the LLM backend could not answer ({type(exc).__name__})"
            )
        except Exception:
            errors.labels("query").inc()
            window.add(time.time(), {}, error=True)
            raise
        for stage, ms in answer.latency_ms.items():
            stage_hist.labels(stage).observe(ms / 1e3)
        if not answer.found:
            not_found.inc()
        window.add(time.time(), answer.latency_ms, error=False)
        refresh()
        return answer.to_dict()

    @app.get("/dashboard", response_class=HTMLResponse, tags=["ops"])
    def dashboard() -> HTMLResponse:
        """Latency and error charts over the recent window (inline SVG, no JavaScript)."""
        p = pipeline()
        return HTMLResponse(render_dashboard(window, STAGES, len(p.store.vectors)))

    assert set(MODES) == {"dense", "bm25", "hybrid", "hybrid_rerank"}
    return app


def make_semantic_screen(embedder: Embedder) -> SemanticScreen:
    """The query-point screen; MiniLM from the embedder when it is MiniLM, else its own.

    Its thresholds were fitted on fp32 vectors, so an int8 embedder lends its fp32 sibling.
    """
    encode: Encoder = (
        embedder.full_precision().encode
        if isinstance(embedder, MiniLMEmbedder)
        else minilm_encoder()
    )
    return SemanticScreen.from_labelled(encode, QUERY_THRESHOLDS)


def _readyz_with_reasons(app, readiness: Readiness) -> None:  # type: ignore[no-untyped-def]
    """Replace the kit's `/readyz` with one that names each check (same 200/503 contract)."""
    app.router.routes = [r for r in app.router.routes if getattr(r, "path", None) != "/readyz"]

    @app.get(
        "/readyz",
        tags=["ops"],
        summary="Readiness: store open, embedding model loaded, LLM backend reachable",
        responses={503: {"description": "not ready; `checks` says why"}},
    )
    def readyz() -> JSONResponse:
        ready, checks = readiness.status()
        if ready:
            return JSONResponse({"status": "ready", "checks": checks})
        return problem(503, "Service Unavailable", "not ready", checks=checks)
