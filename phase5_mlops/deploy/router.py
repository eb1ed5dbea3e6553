"""A weighted reverse proxy between two versions (blue = stable, green = new) of a service.

`create_router_app()` is a kit service: every path other than the kit's own and
`/router/*` is forwarded to blue or green. The split is a smooth weighted round-robin, so
at weight w exactly w of every 100 consecutive requests go to green: deterministic, with no
sampling noise to blur a canary step. The weight changes through `PUT /router/weights`
(API key); a request keeps the upstream it was given, and `router_upstream_inflight` lets
the controller drain a version before stopping it. Per-upstream request counts by status
and a latency histogram are exported on `/metrics`, next to the kit's.

A dead upstream is ejected after `eject_after_failures` transport failures in a row and its
traffic goes to the other one; a failed request is retried there when that is safe (see
health.py); a background probe of `/readyz` puts it back once it answers. `/router/state`
needs the API key: it names the upstream URLs, which are internal addresses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import Depends, FastAPI, Request, Response
from prometheus_client import Counter, Gauge, Histogram
from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from phase0_env.common.service import (
    ServiceSettings,
    api_key_dependency,
    create_service_app,
    problem,
)
from phase5_mlops.deploy.health import UpstreamHealth, may_retry

ROLES = ("blue", "green")
HOP_BY_HOP = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}
# httpx has already decoded a compressed body, so its encoding header must not be forwarded.
RESPONSE_DROP = HOP_BY_HOP | {"content-encoding"}
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
OTHER = {"blue": "green", "green": "blue"}
log = logging.getLogger("roadmap.deploy.router")


class RouterSettings(ServiceSettings):
    """Upstream URLs, the initial green weight and the upstream timeout (`DEPLOY_ROUTER_*`)."""

    model_config = SettingsConfigDict(env_prefix="DEPLOY_ROUTER_", extra="ignore")

    service_name: str = "router"
    blue_url: str = "http://127.0.0.1:8001"
    green_url: str = "http://127.0.0.1:8002"
    green_weight: int = Field(default=0, ge=0, le=100)  # percent of requests sent to green
    upstream_timeout_s: float = 30.0
    max_body_bytes: int = 512_000
    eject_after_failures: int = Field(default=3, ge=1)  # transport failures in a row
    probe_interval_s: float = Field(default=0.5, gt=0)  # active /readyz probe of ejected ones
    probe_path: str = "/readyz"
    # Idle upstream connections are dropped before uvicorn's 5 s keep-alive closes them:
    # reusing one the server is closing at that moment fails a POST that cannot be retried.
    upstream_keepalive_s: float = Field(default=2.0, gt=0)


class Weights(BaseModel):
    """The share of traffic, in percent, that goes to green (blue gets the rest)."""

    green: int = Field(ge=0, le=100)


class WeightedSplit:
    """Smooth weighted round-robin between blue and green."""

    def __init__(self, green_percent: int) -> None:
        self.green_percent = green_percent
        self._credit = 0.0

    def pick(self) -> str:
        """The role of the next request: green for exactly `green_percent` of every 100."""
        self._credit += self.green_percent / 100
        if self._credit >= 1 - 1e-9:
            self._credit -= 1
            return "green"
        return "blue"

    def set(self, green_percent: int) -> None:
        self.green_percent = green_percent
        self._credit = 0.0


def create_router_app(
    settings: RouterSettings | None = None,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    """The router service; settings from `DEPLOY_ROUTER_*` when not given.

    `transports` (by role) replace the network, so tests can put in-process upstreams
    behind the router.
    """
    settings = settings or RouterSettings()
    urls = {"blue": settings.blue_url.rstrip("/"), "green": settings.green_url.rstrip("/")}
    split = WeightedSplit(settings.green_weight)
    clients: dict[str, httpx.AsyncClient] = {}
    health = {role: UpstreamHealth(settings.eject_after_failures) for role in ROLES}

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        limits = httpx.Limits(
            max_connections=200,
            max_keepalive_connections=50,
            keepalive_expiry=settings.upstream_keepalive_s,
        )
        for role in ROLES:
            clients[role] = httpx.AsyncClient(
                base_url=urls[role],
                timeout=settings.upstream_timeout_s,
                limits=limits,
                transport=(transports or {}).get(role),
            )
        prober = asyncio.create_task(probe_ejected())
        yield
        prober.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await prober
        for c in clients.values():
            await c.aclose()

    async def probe_ejected() -> None:
        """Every `probe_interval_s`, GET `probe_path` of each ejected upstream; 200: back."""
        while True:
            await asyncio.sleep(settings.probe_interval_s)
            for role in ROLES:
                if not health[role].ejected:
                    continue
                try:
                    resp = await clients[role].get(
                        settings.probe_path, timeout=min(2.0, settings.upstream_timeout_s)
                    )
                except httpx.HTTPError:
                    continue
                if resp.status_code == 200:
                    health[role].succeeded()
                    healthy.labels(role).set(1)
                    log.warning("upstream %s passed its probe: back in rotation", role)

    app = create_service_app(settings, title="router", lifespan=lifespan)
    registry = app.state.metrics_registry
    requests = Counter(
        "router_upstream_requests_total",
        "Proxied requests by upstream and status",
        ["upstream", "status"],
        registry=registry,
    )
    latency = Histogram(
        "router_upstream_request_duration_seconds",
        "Latency of proxied requests, upstream round trip included",
        ["upstream"],
        registry=registry,
        buckets=LATENCY_BUCKETS,
    )
    inflight = Gauge(
        "router_upstream_inflight",
        "Requests in flight by upstream",
        ["upstream"],
        registry=registry,
    )
    weight = Gauge(
        "router_weight_percent", "Traffic share by upstream", ["upstream"], registry=registry
    )
    healthy = Gauge(
        "router_upstream_healthy", "1 in rotation, 0 ejected", ["upstream"], registry=registry
    )
    ejections = Counter(
        "router_upstream_ejections_total",
        "Times an upstream was taken out of rotation",
        ["upstream"],
        registry=registry,
    )
    retries = Counter(
        "router_retries_total",
        "Requests sent again to the other upstream, by the upstream that failed",
        ["upstream"],
        registry=registry,
    )
    for role in ROLES:
        healthy.labels(role).set(1)
        ejections.labels(role)
        retries.labels(role)
    counts = {role: 0 for role in ROLES}  # in flight now, read by /router/state
    served = {role: 0 for role in ROLES}  # finished since start

    def publish_weights() -> None:
        weight.labels("green").set(split.green_percent)
        weight.labels("blue").set(100 - split.green_percent)

    publish_weights()
    app.state.split = split

    def state() -> dict[str, Any]:
        return {
            "weights": {"blue": 100 - split.green_percent, "green": split.green_percent},
            "inflight": dict(counts),
            "served": dict(served),
            "upstreams": urls,
            "health": {role: health[role].as_dict() for role in ROLES},
        }

    admin = api_key_dependency(settings)

    @app.get(
        "/router/state",
        tags=["router"],
        dependencies=[Depends(admin)],
        summary="Weights, upstreams, their health and in-flight counts (API key)",
    )
    def get_state() -> dict[str, Any]:
        return state()

    @app.put(
        "/router/weights",
        tags=["router"],
        dependencies=[Depends(admin)],
        summary="Set the share of traffic sent to green",
    )
    def put_weights(body: Weights) -> dict[str, Any]:
        split.set(body.green)
        publish_weights()
        return state()

    @app.api_route(
        "/{path:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    async def proxy(path: str, request: Request) -> Response:
        # The path as the client encoded it: decoding and re-encoding would turn `%00` into a
        # NUL that no URL can hold, and `%2F` into a path separator.
        target = request.scope.get("raw_path", b"").decode("latin-1") or "/" + path
        try:
            httpx.URL(target)
        except httpx.InvalidURL as invalid:  # not an httpx.HTTPError: checked before sending
            return problem(400, "Bad Request", f"path cannot be forwarded: {invalid}")
        choice = split.pick()
        role = OTHER[choice] if health[choice].ejected and usable(OTHER[choice]) else choice
        reserve(role)  # before any await: a drain never misses a request bound for `role`
        start, upstream, err = time.perf_counter(), None, None
        try:
            body = await request.body()
            headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream, err = await send(role, target, request, body, headers)
        finally:
            release(role, upstream, start)
        if err is not None and usable(OTHER[role]) and may_retry(request.method, err):
            retries.labels(role).inc()
            role = OTHER[role]
            reserve(role)
            start = time.perf_counter()
            try:
                upstream, err = await send(role, target, request, body, headers)
            finally:
                release(role, upstream, start)
        if upstream is None:
            resp: Response = problem(502, "Bad Gateway", f"{role} upstream failed: {err!r}")
        else:
            out = {k: v for k, v in upstream.headers.items() if k.lower() not in RESPONSE_DROP}
            resp = Response(upstream.content, upstream.status_code, headers=out)
        resp.headers["x-upstream"] = role
        return resp

    def usable(role: str) -> bool:
        """In rotation and given a share of traffic (weight 0 means: send it nothing)."""
        share = split.green_percent if role == "green" else 100 - split.green_percent
        return share > 0 and not health[role].ejected

    def reserve(role: str) -> None:
        counts[role] += 1
        inflight.labels(role).inc()

    def release(role: str, upstream: httpx.Response | None, start: float) -> None:
        counts[role] -= 1
        served[role] += 1
        inflight.labels(role).dec()
        requests.labels(role, str(upstream.status_code) if upstream else "502").inc()
        latency.labels(role).observe(time.perf_counter() - start)

    async def send(  # type: ignore[no-untyped-def]
        role: str, target: str, request: Request, body: bytes, headers
    ) -> tuple[httpx.Response | None, Exception | None]:
        """One try on one upstream; its outcome moves the upstream's health."""
        try:
            upstream = await clients[role].request(
                request.method,
                target,
                params=request.query_params,
                content=body,
                headers=headers,
            )
        except httpx.HTTPError as err:
            if health[role].failed():
                ejections.labels(role).inc()
                healthy.labels(role).set(0)
                log.warning(
                    "upstream %s ejected after %d failures: %r", role, health[role].failures, err
                )
            return None, err
        health[role].succeeded()  # it answered: in rotation (again)
        healthy.labels(role).set(1)
        return upstream, None

    return app
