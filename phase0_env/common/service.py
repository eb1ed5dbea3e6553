"""The FastAPI service kit every service in the repository is built on.

`create_service_app(settings, ...)` returns an app with `/healthz`, `/readyz`, `/metrics`,
request ids, JSON access logs, a body-size limit, per-principal rate limiting and
`application/problem+json` errors (documented in the OpenAPI schema). Settings come from the
environment (pydantic-settings), each service with its own prefix. No state lives at import
time: every app owns its Prometheus registry, rate limiter and readiness.

Hostile clients were considered: metric labels are bounded (a made-up HTTP method is
"OTHER", an unmatched path "unmatched"), the rate limiter keys on the verified principal
(see principals.py; forged keys share the client address's anonymous bucket), and an
unhandled error is a counted, logged problem+json 500 that carries its request id.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from phase0_env.common.bodylimit import BodyLimitMiddleware
from phase0_env.common.jsonlog import request_id_var, setup_logging
from phase0_env.common.openapi_errors import declare_responses, install_problem_openapi
from phase0_env.common.principals import (
    Principal,
    api_key_principal,
    client_address,
    key_fingerprint,
    metric_method,
)
from phase0_env.common.ratelimit import TokenBucketLimiter

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("roadmap.service")


class ServiceSettings(BaseSettings):
    """Settings shared by every service; subclasses set their own `env_prefix`."""

    model_config = SettingsConfigDict(env_prefix="ROADMAP_", extra="ignore")

    service_name: str = "service"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    api_keys: list[SecretStr] = []
    max_body_bytes: int = 1_000_000
    rate_limit_per_minute: int = 0  # 0 disables rate limiting
    rate_limit_burst: int = 0  # 0 means "equal to the per-minute rate"
    # Salt of the key fingerprints shown in metrics and state; unset: random per process
    # (labels then change on restart). Set it to compare labels across replicas.
    key_hash_salt: SecretStr | None = None


def problem(
    status: int,
    title: str,
    detail: Any = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An RFC 9457 problem+json response; `extra` adds members such as `errors`."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    version: str = "0.1.0",
    description: str = "",
    ready: Callable[[], bool] | None = None,
    lifespan: Any = None,
    principal: Principal | None = None,
) -> FastAPI:
    """A FastAPI app with the kit's routes, middleware and error handlers installed.

    `ready()` decides `/readyz` (for example "model loaded"); without it the app is ready
    as soon as it serves. `principal(request)` names the verified caller the rate limiter
    keys on (None: anonymous); the default verifies `settings.api_keys`. Add the service's
    own routes to the returned app.
    """
    setup_logging(settings.log_level)
    app = FastAPI(title=title, version=version, description=description, lifespan=lifespan)
    install_problem_openapi(app, rate_limited=settings.rate_limit_per_minute > 0)
    salt = (
        settings.key_hash_salt.get_secret_value().encode()
        if settings.key_hash_salt
        else secrets.token_bytes(16)
    )
    app.state.key_fingerprint = lambda key: key_fingerprint(key, salt)
    who = principal or api_key_principal([k.get_secret_value() for k in settings.api_keys], salt)
    # Innermost: chunked bodies are counted as they arrive (Content-Length is checked below).
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.state.settings = settings
    app.state.ready = ready or (lambda: True)
    registry = CollectorRegistry()
    app.state.metrics_registry = registry
    requests_total = Counter(
        "http_requests_total",
        "HTTP requests by route, method and status",
        ["route", "method", "status"],
        registry=registry,
    )
    latency = Histogram(
        "http_request_duration_seconds",
        "HTTP request latency by route and method",
        ["route", "method"],
        registry=registry,
        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    )
    limited = Counter(
        "http_rate_limited_total",
        "Requests refused with 429, by caller kind (anonymous or verified principal)",
        ["caller"],
        registry=registry,
    )
    limiter = TokenBucketLimiter(
        settings.rate_limit_per_minute / 60.0,
        settings.rate_limit_burst or settings.rate_limit_per_minute,
    )
    app.state.rate_limiter = limiter
    access = logging.getLogger(f"roadmap.access.{settings.service_name}")

    @app.middleware("http")
    async def kit_middleware(request: Request, call_next):  # type: ignore[no-untyped-def]
        rid = request.headers.get("x-request-id") or uuid.uuid4().hex
        token = request_id_var.set(rid)
        start = time.perf_counter()
        try:
            response = await _guarded(request, call_next, settings, limiter, who, limited)
        except Exception as exc:
            log.exception("unhandled error", exc_info=exc)
            response = problem(
                500,
                "Internal Server Error",
                f"the server failed; see its logs for request id {rid}",
                request_id=rid,
            )
        finally:
            request_id_var.reset(token)
        elapsed = time.perf_counter() - start
        # Labels stay bounded whatever clients send: route templates, standard methods.
        route = request.scope.get("route")
        route_name = getattr(route, "path", None) or "unmatched"
        method = metric_method(request.method)
        requests_total.labels(route_name, method, str(response.status_code)).inc()
        latency.labels(route_name, method).observe(elapsed)
        response.headers["x-request-id"] = rid
        token = request_id_var.set(rid)
        access.info(
            "request",
            extra={
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "ms": round(elapsed * 1e3, 3),
            },
        )
        request_id_var.reset(token)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {
            404: "Not Found",
            405: "Method Not Allowed",
            401: "Unauthorized",
            403: "Forbidden",
            413: "Payload Too Large",
            429: "Too Many Requests",
        }
        resp = problem(exc.status_code, title.get(exc.status_code, "HTTP error"), exc.detail)
        for key, value in (exc.headers or {}).items():
            resp.headers[key] = value
        return resp

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
                "message": e.get("msg", ""),
                "type": e.get("type", ""),
            }
            for e in exc.errors()
        ]
        fields = ", ".join(e["field"] for e in errors)
        return problem(422, "Unprocessable Entity", f"invalid input: {fields}", errors=errors)

    @app.exception_handler(Exception)
    async def unhandled(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem(500, "Internal Server Error", "the server failed; see its logs")

    @app.get("/healthz", tags=["ops"], summary="Liveness: the process serves")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["ops"],
        summary="Readiness: dependencies (the model) are loaded",
        responses={503: {"description": "not ready"}},
    )
    def readyz() -> Response:
        if app.state.ready():
            return JSONResponse({"status": "ready"})
        return problem(503, "Service Unavailable", "not ready")

    @app.get("/metrics", tags=["ops"], summary="Prometheus metrics")
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app


async def _guarded(  # type: ignore[no-untyped-def]
    request: Request,
    call_next,
    settings: ServiceSettings,
    limiter: TokenBucketLimiter,
    who: Principal,
    limited: Counter,
):
    """Body-size limit and rate limit (per principal, else per client address) before the
    route runs; `request.state.principal` tells the route who was verified (or None)."""
    length = request.headers.get("content-length")
    if length is not None:
        try:
            too_big = int(length) > settings.max_body_bytes
        except ValueError:
            return problem(400, "Bad Request", "invalid Content-Length header")
        if too_big:
            return problem(
                413, "Payload Too Large", f"request body exceeds {settings.max_body_bytes} bytes"
            )
    principal = who(request)
    request.state.principal = principal
    if limiter.enabled and request.url.path not in ("/healthz", "/readyz", "/metrics"):
        # Unknown and forged keys share the address's bucket: a fresh fake key per request
        # gains nothing.
        wait = limiter.acquire(principal or "anon:" + client_address(request))
        if wait > 0:
            limited.labels("key" if principal else "anonymous").inc()
            return problem(
                429,
                "Too Many Requests",
                "rate limit exceeded",
                headers={"Retry-After": str(max(1, round(wait)))},
            )
    return await call_next(request)


def api_key_dependency(settings: ServiceSettings) -> Callable[[Request], None]:
    """A FastAPI dependency that guards write routes with the `X-API-Key` header.

    With no keys configured every request is refused (fail closed), never allowed.
    """
    import hmac

    from fastapi import HTTPException

    keys = [k.get_secret_value().encode() for k in settings.api_keys]

    def require_api_key(request: Request) -> None:
        given = request.headers.get("x-api-key")
        if not given:
            raise HTTPException(
                401, "missing X-API-Key header", headers={"WWW-Authenticate": "ApiKey"}
            )
        if not any(hmac.compare_digest(given.encode(), k) for k in keys):
            raise HTTPException(403, "API key not accepted")

    return declare_responses(require_api_key, 401, 403)
