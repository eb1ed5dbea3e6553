"""Readiness with reasons: the store is open, the embedding model is loaded (warmed up in the
background at start-up, so the first query is not the one that loads it), and the LLM backend,
when one is configured, answers.

An unreachable backend makes the service not ready (503 with the reason), not "degraded":
every answer from the `openai` generator would fail, so a load balancer should send traffic
elsewhere. The probe (`GET /v1/models`) is cached for a few seconds so frequent probes do not
hammer the backend, and a failed query marks the backend down at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("roadmap.rag.readiness")


class Readiness:
    """Named checks, each "ok" or a reason; ready when all are ok."""

    def __init__(self, backend_url: str = "", probe_ttl_s: float = 5.0) -> None:
        self.checks: dict[str, str] = {"store": "not opened", "embedder": "not loaded"}
        self.backend_url = backend_url.rstrip("/")
        self.probe_ttl_s = probe_ttl_s
        self._probed_at = -1e9
        if backend_url:
            self.checks["llm_backend"] = "not probed"

    def warm_up(self, load: Callable[[], None]) -> threading.Thread:
        """Run `load` (the model load) in a background thread; mark the embedder when done."""

        def run() -> None:
            try:
                load()
                self.checks["embedder"] = "ok"
            except Exception as exc:  # reported by /readyz, never crashes the server
                log.exception("embedder warm-up failed")
                self.checks["embedder"] = f"failed: {type(exc).__name__}"

        thread = threading.Thread(target=run, name="rag-warm-up", daemon=True)
        thread.start()
        return thread

    def backend_failed(self, exc: Exception) -> None:
        """A query could not reach the backend: report it until a probe succeeds."""
        if self.backend_url:
            self.checks["llm_backend"] = f"unreachable: {type(exc).__name__}"
            self._probed_at = time.monotonic()

    def status(self) -> tuple[bool, dict[str, str]]:
        """(ready, checks), probing the backend when its last result is stale."""
        if self.backend_url and time.monotonic() - self._probed_at > self.probe_ttl_s:
            self._probe()
        checks = dict(self.checks)
        return all(v == "ok" for v in checks.values()), checks

    def _probe(self) -> None:
        import httpx

        self._probed_at = time.monotonic()
        try:
            r = httpx.get(f"{self.backend_url}/v1/models", timeout=2.0)
            self.checks["llm_backend"] = "ok" if r.status_code < 500 else f"status {r.status_code}"
        except httpx.HTTPError as exc:
            self.checks["llm_backend"] = f"unreachable: {type(exc).__name__}"
