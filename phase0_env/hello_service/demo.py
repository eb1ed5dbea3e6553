"""Demo: drive the hello service in-process and show each answer beside a bare FastAPI app's."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import SecretStr

from phase0_env.hello_service.app import NAME_MAX, HelloSettings, create_app

DEMO_KEY = "demo-key"


def bare_app() -> FastAPI:
    """The reference: a bare FastAPI app with the same /hello route and nothing else."""
    app = FastAPI()

    @app.get("/hello")
    def hello(name: Annotated[str, Query(min_length=1, max_length=NAME_MAX)] = "world") -> dict:
        return {"message": f"Hello, {name}!"}

    return app


def main(quick: bool = False) -> None:
    """Send a dozen requests (good and bad) to ours and to bare FastAPI; print what comes back."""
    import logging

    from fastapi.testclient import TestClient

    settings = HelloSettings(
        api_keys=[SecretStr(DEMO_KEY)], log_level="WARNING", max_body_bytes=1024
    )
    ours = TestClient(create_app(settings))
    logging.getLogger().setLevel(logging.WARNING)  # keep the access log out of the demo table
    bare = TestClient(bare_app())
    key = {"x-api-key": DEMO_KEY}
    requests = [
        ("GET /hello?name=Ada", lambda c: c.get("/hello?name=Ada")),
        ("GET /hello?name=<65 chars>", lambda c: c.get("/hello", params={"name": "x" * 65})),
        ("GET /nope", lambda c: c.get("/nope")),
        ("DELETE /hello", lambda c: c.delete("/hello")),
        ("POST /echo (no key)", lambda c: c.post("/echo", json={"message": "hi"})),
        ("POST /echo (key)", lambda c: c.post("/echo", json={"message": "hi"}, headers=key)),
        (
            "POST /echo (2 kB body)",
            lambda c: c.post("/echo", json={"message": "x" * 2000}, headers=key),
        ),
        ("GET /healthz", lambda c: c.get("/healthz")),
        ("GET /readyz", lambda c: c.get("/readyz")),
    ]
    print(f"{'request':<28} {'ours':>5} {'content-type':<26} {'bare':>5}  ours: body")
    for label, call in requests:
        r, b = call(ours), call(bare)
        ctype = r.headers.get("content-type", "").split(";")[0]
        print(f"{label:<28} {r.status_code:>5} {ctype:<26} {b.status_code:>5}  {r.text[:70]}")
    metrics = ours.get("/metrics").text
    hello_lines = [line for line in metrics.splitlines() if line.startswith("http_requests_total{")]
    print("\n/metrics (request counters):")
    for line in hello_lines:
        print("  " + line)
    print(
        "\nBare FastAPI answers 404 for /echo and has no /healthz, /readyz, /metrics; its errors"
        " are application/json, ours application/problem+json with a request id header."
    )
