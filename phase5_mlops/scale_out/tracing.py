"""OpenTelemetry traces across a router and the model service, linked by W3C `traceparent`.

`TraceMiddleware` (pure ASGI) opens a SERVER span per request, continuing the trace named in an
incoming `traceparent` header. `create_router_app` is a tiny gateway in front of the phase 2
API: its `POST /predict` opens a CLIENT span, injects that span's context into the outgoing
headers and forwards the body. One request therefore yields router SERVER -> router CLIENT ->
model SERVER, all with one trace id. Spans go to the `TracerProvider` each app is given (no
global provider), so tests read them from an `InMemorySpanExporter`; in production the same
provider gets an OTLP exporter to a collector (Jaeger, Tempo).
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Protocol

import httpx
from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from pydantic_settings import BaseSettings, SettingsConfigDict

from phase0_env.common.service import ServiceSettings, create_service_app, problem

PROPAGATOR = TraceContextTextMapPropagator()  # the W3C Trace Context format, nothing else
UNTRACED = frozenset({"/healthz", "/readyz", "/metrics"})


class SystemRandomIdGenerator(IdGenerator):
    """Trace and span ids from the OS's entropy pool.

    The SDK's default generator draws from the `random` module, which `seed_everything`
    seeds: every process that trained with seed 0 would then mint the same trace ids.
    """

    _random = random.SystemRandom()

    def generate_span_id(self) -> int:
        return self._random.getrandbits(64) or 1  # 0 is the invalid span id

    def generate_trace_id(self) -> int:
        return self._random.getrandbits(128) or 1


def tracer_provider(*exporters: SpanExporter) -> TracerProvider:
    """A provider with seed-proof ids that sends every finished span to each exporter."""
    provider = TracerProvider(id_generator=SystemRandomIdGenerator())
    for exporter in exporters:  # production: a BatchSpanProcessor around an OTLP exporter
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


class JsonLinesSpanExporter(SpanExporter):
    """Appends each finished span as one JSON line: ids in hex, parent, kind, attributes.

    For processes whose spans a test must read (a real uvicorn server); a collector takes
    this role in production.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = [json.dumps(span_record(s)) + "\n" for s in spans]
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.writelines(lines)
        return SpanExportResult.SUCCESS


def span_record(span: ReadableSpan) -> dict[str, Any]:
    """A span as a plain dict: name, kind, trace/span/parent ids (hex) and attributes."""
    return {
        "name": span.name,
        "kind": span.kind.name,
        "trace_id": f"{span.context.trace_id:032x}",
        "span_id": f"{span.context.span_id:016x}",
        "parent_id": f"{span.parent.span_id:016x}" if span.parent else None,
        "attributes": dict(span.attributes or {}),
    }


class TraceSettings(BaseSettings):
    """`TRACE_FILE`: append this process's spans to a JSON-lines file ("" = no exporter)."""

    model_config = SettingsConfigDict(env_prefix="TRACE_", extra="ignore")

    file: str = ""


def provider_from_env() -> Any:
    """A provider exporting to `TRACE_FILE` when set, else the global provider."""
    path = TraceSettings().file
    return tracer_provider(JsonLinesSpanExporter(path)) if path else trace.get_tracer_provider()


def create_traced_tabular_app() -> FastAPI:
    """The phase 2 API with `TraceMiddleware` (uvicorn --factory; settings from the env)."""
    from phase2_tabular.tabular_api.app import create_app

    return instrument(create_app(), provider_from_env(), "tabular_api")


class TraceMiddleware:
    """ASGI middleware: one SERVER span per HTTP request, child of an incoming traceparent."""

    def __init__(self, app: Any, tracer_provider: Any, service_name: str) -> None:
        self.app = app
        self.tracer = tracer_provider.get_tracer(service_name)
        self.service_name = service_name

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] in UNTRACED:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        parent = PROPAGATOR.extract(headers)
        name = f"{self.service_name} {scope['method']} {scope['path']}"
        with self.tracer.start_as_current_span(name, context=parent, kind=SpanKind.SERVER) as span:
            span.set_attribute("http.request.method", scope["method"])
            span.set_attribute("url.path", scope["path"])

            async def send_with_status(message: dict) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            await self.app(scope, receive, send_with_status)


def instrument(app: FastAPI, tracer_provider: Any, service_name: str) -> FastAPI:
    """Add `TraceMiddleware` to an app that has not started yet (e.g. the phase 2 API)."""
    app.add_middleware(TraceMiddleware, tracer_provider=tracer_provider, service_name=service_name)
    return app


class RouterSettings(ServiceSettings):
    """Where the router forwards predictions (`ROUTER_*` variables)."""

    model_config = SettingsConfigDict(env_prefix="ROUTER_", extra="ignore")

    service_name: str = "router"
    backend_url: str = "http://127.0.0.1:8000"
    timeout_s: float = 10.0


class ForwardedAnswer(Protocol):
    """What the router reads from the model service's answer."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    def json(self, **kwargs: Any) -> Any: ...


class PostClient(Protocol):
    """The part of an HTTP client the router uses: `httpx.Client`, or Starlette's TestClient
    (built on `httpx2`, so not an `httpx.Client` subclass) in tests."""

    def post(
        self, url: str, *, json: Any | None = None, headers: dict[str, str] | None = None
    ) -> ForwardedAnswer: ...


def create_router_app(
    settings: RouterSettings | None = None,
    *,
    tracer_provider: Any = None,
    client: PostClient | None = None,
) -> FastAPI:
    """The router; `client` replaces the HTTP client (a TestClient of the backend in tests)."""
    settings = settings or RouterSettings()
    provider = tracer_provider or provider_from_env()
    tracer = provider.get_tracer(settings.service_name)
    http: PostClient = client or httpx.Client(
        base_url=settings.backend_url, timeout=settings.timeout_s
    )
    app = create_service_app(settings, title="router", description="Forwards to the model API.")
    instrument(app, provider, settings.service_name)

    @app.post(
        "/predict",
        tags=["model"],
        responses={502: {"description": "the model service cannot be reached"}},
        summary="Forward one record to the model service",
    )
    def predict(record: Annotated[dict[str, Any], Body()]) -> JSONResponse:
        # A sync route runs in a worker thread; Starlette copies the context into it, so the
        # middleware's SERVER span is the current span here.
        with tracer.start_as_current_span("POST /predict", kind=SpanKind.CLIENT) as span:
            headers: dict[str, str] = {}
            PROPAGATOR.inject(headers)  # the CLIENT span becomes the model span's parent
            try:
                answer = http.post("/predict", json=record, headers=headers)
            except httpx.HTTPError as err:
                span.set_status(Status(StatusCode.ERROR))
                return problem(502, "Bad Gateway", f"model service unreachable: {err}")
            span.set_attribute("http.response.status_code", answer.status_code)
        return JSONResponse(
            answer.json(),
            status_code=answer.status_code,
            media_type=answer.headers.get("content-type", "application/json"),
        )

    return app


def trace_one_request(artifact: Path | str) -> tuple[int, list[ReadableSpan]]:
    """One /predict through the router to the phase 2 app, in process: (status, spans)."""
    from fastapi.testclient import TestClient
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from phase2_tabular.tabular_api.app import create_app
    from phase2_tabular.tabular_api.settings import TabularSettings
    from phase5_mlops.monitoring.traffic import penguin_requests

    exporter = InMemorySpanExporter()
    provider = tracer_provider(exporter)
    settings = TabularSettings(artifact_dir=str(artifact), prediction_log="", log_level="WARNING")
    with TestClient(instrument(create_app(settings), provider, "tabular_api")) as backend:
        router = create_router_app(
            RouterSettings(log_level="WARNING"), tracer_provider=provider, client=backend
        )
        with TestClient(router) as client:
            status = client.post("/predict", json=penguin_requests(1)[0]).status_code
    return status, list(exporter.get_finished_spans())
