"""The OpenAI-compatible HTTP server on the kit's `create_service_app`.

Routes: `POST /v1/completions`, `POST /v1/chat/completions` (both with `stream: true` as
server-sent events), `GET /v1/models`, `GET /v1/usage`, plus the kit's `/healthz`, `/readyz`,
`/metrics`. Run with `uvicorn --factory phase4_llm.serving.service:create_app`; settings come
from `SERVING_*` environment variables. Keys are read from `Authorization: Bearer <key>`
(what OpenAI clients send) or `X-API-Key`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from phase0_env.common.service import ServiceSettings, create_service_app

from . import openai_format as oa
from .costs import BudgetExceeded, BudgetLedger, Price
from .disconnect import DisconnectWatch, disconnected_event, finished_or_gone
from .engine import Engine
from .keys import KeyAuth
from .metrics import ServingMetrics
from .models import ServedModel, load_served_model
from .request import QueueFull, RequestError, RequestHandle
from .streaming import sse_events

log = logging.getLogger("roadmap.serving")
DEFAULT_PRICES = {
    "tiny-gpt": {"prompt_per_1k": 0.0001, "completion_per_1k": 0.0002},
    "smollm2-135m": {"prompt_per_1k": 0.0005, "completion_per_1k": 0.0015},
}


class ServingSettings(ServiceSettings):
    """Settings from `SERVING_*` environment variables (dicts as JSON)."""

    model_config = ServiceSettings.model_config | {"env_prefix": "SERVING_"}
    service_name: str = "serving"
    # A request body is refused (413) before it is parsed past this size: the largest prompt
    # that fits a 512-token context is a few KB of text; 1 MB only buys the attacker time.
    max_body_bytes: int = 262_144
    model: str = "smollm2-135m"
    max_model_len: int = 512  # context per request = KV slot length
    kv_cache_budget_mb: float = 256.0
    max_running: int = 16
    max_batch_tokens: int = 2048
    max_queue: int = 64
    request_timeout_s: float = 120.0
    max_tokens_limit: int = 256
    default_max_tokens: int = 16  # OpenAI's default for /v1/completions
    prices: dict[str, dict[str, float]] = Field(
        default_factory=lambda: dict(DEFAULT_PRICES)
    )  # USD per 1k tokens, by model
    key_budgets_usd: dict[str, float] = Field(default_factory=dict)
    default_budget_usd: float | None = None  # None: keys without a budget are unlimited
    seed: int = 0


def create_app(
    settings: ServingSettings | None = None, served: ServedModel | None = None
) -> FastAPI:
    """The app factory (uvicorn `--factory`); `served` injects an already loaded model."""
    settings = settings or ServingSettings()
    served = served or load_served_model(settings.model, settings.max_model_len, settings.seed)
    engine = Engine(
        served.model,
        eos_token_id=served.tokenizer.eos_token_id,
        decode=served.tokenizer.decode,
        kv_budget_bytes=int(settings.kv_cache_budget_mb * 2**20),
        max_len=served.max_len,
        max_running=settings.max_running,
        max_batch_tokens=settings.max_batch_tokens,
        max_queue=settings.max_queue,
        request_timeout_s=settings.request_timeout_s,
    ).start()

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        yield
        engine.stop()

    app = create_service_app(
        settings,
        title="OpenAI-compatible LLM server",
        description="Continuous batching over the phase-4 GPT",
        ready=lambda: engine.is_running,
        lifespan=lifespan,
    )
    app.add_middleware(DisconnectWatch)  # outermost: it owns the server's receive()
    app.state.engine = engine
    price = Price(**settings.prices.get(served.name, {}))  # a bad price table fails at start
    ledger = BudgetLedger(dict(settings.key_budgets_usd), settings.default_budget_usd)
    app.state.ledger = ledger
    metrics = ServingMetrics.create(app.state.metrics_registry, engine)
    keys = [k.get_secret_value() for k in settings.api_keys]
    if not keys:
        log.warning("no SERVING_API_KEYS set: requests are served and billed as 'anonymous'")
    auth = KeyAuth(keys, app.state.key_fingerprint)  # the kit's salted fingerprint
    caller_key = auth.caller
    # A token covers at most this many characters, so a longer text cannot fit the context:
    # it is refused before the (costly) chat template and tokenizer ever see it.
    max_prompt_chars = (served.max_len - 1) * served.tokenizer.max_token_chars

    @app.get("/v1/models", tags=["openai"])
    def list_models() -> dict[str, Any]:
        """The served model (OpenAI `list` of `model` objects)."""
        return {
            "object": "list",
            "data": [
                {
                    "id": served.name,
                    "object": "model",
                    "created": 0,
                    "owned_by": "roadmap",
                    "max_model_len": served.max_len,
                }
            ],
        }

    @app.get("/v1/usage", tags=["billing"])
    def key_usage(key: str = Depends(caller_key)) -> dict[str, Any]:
        """Tokens and spending of the caller's key, and its budget."""
        u = ledger.usage.get(key)
        return {
            "api_key": auth.label(key),
            "requests": u.requests if u else 0,
            "prompt_tokens": u.prompt_tokens if u else 0,
            "completion_tokens": u.completion_tokens if u else 0,
            "cost_usd": u.cost_usd if u else 0.0,
            "budget_usd": ledger.budget(key),
        }

    @app.post("/v1/completions", tags=["openai"], responses=oa.ERROR_RESPONSES)
    async def completions(
        body: oa.CompletionRequest, request: Request, key: str = Depends(caller_key)
    ) -> Response:
        """Complete a prompt (OpenAI `/v1/completions`)."""
        return await serve(body, lambda: body.prompt, len(body.prompt), request, key, chat=False)

    @app.post("/v1/chat/completions", tags=["openai"], responses=oa.ERROR_RESPONSES)
    async def chat_completions(
        body: oa.ChatCompletionRequest, request: Request, key: str = Depends(caller_key)
    ) -> Response:
        """Answer a conversation (OpenAI `/v1/chat/completions`), using the model's template."""
        messages = [m.model_dump() for m in body.messages]
        n_chars = sum(len(m.content) for m in body.messages)
        return await serve(
            body,
            lambda: served.tokenizer.chat_prompt(messages),
            n_chars,
            request,
            key,
            chat=True,
        )

    async def serve(
        body: oa.CompletionRequest | oa.ChatCompletionRequest,
        make_prompt: Callable[[], str],
        n_chars: int,
        request: Request,
        key: str,
        *,
        chat: bool,
    ) -> Response:
        if body.model != served.name:
            metrics.rejected.labels("bad_request").inc()
            return oa.api_error(
                404, "model", f"unknown model {body.model!r}; served: {served.name!r}"
            )
        if body.max_tokens is not None and body.max_tokens > settings.max_tokens_limit:
            metrics.rejected.labels("bad_request").inc()
            return oa.api_error(
                400,
                "max_tokens",
                f"{body.max_tokens} > this server's limit {settings.max_tokens_limit}",
            )
        if n_chars > max_prompt_chars:
            metrics.rejected.labels("bad_request").inc()
            field = "messages" if chat else "prompt"
            return oa.api_error(
                400,
                field,
                f"{n_chars} characters cannot fit the context of {served.max_len} tokens "
                f"(at most {max_prompt_chars} characters)",
            )
        # Template and tokenizer run in a worker thread: the event loop keeps serving meanwhile.
        prompt_ids = await run_in_threadpool(lambda: served.tokenizer.encode(make_prompt()))
        default = settings.default_max_tokens
        if chat:  # OpenAI chat has no small default: answer up to the context or the limit
            default = max(1, min(settings.max_tokens_limit, served.max_len - len(prompt_ids)))
        params = body.sampling(default)
        try:
            engine.validate(prompt_ids, params)
        except RequestError as exc:
            metrics.rejected.labels("bad_request").inc()
            return oa.api_error(400, exc.field, exc.message)
        worst = price.cost(len(prompt_ids), params.max_tokens)
        try:
            ledger.reserve(key, worst)
        except BudgetExceeded as exc:
            metrics.rejected.labels("budget").inc()
            return oa.api_error(
                402, None, str(exc), title="Payment Required", code="budget_exceeded"
            )
        loop = asyncio.get_running_loop()
        events: asyncio.Queue[tuple[str, bool]] = asyncio.Queue()

        def listener(h: RequestHandle, delta: str, finished: bool) -> None:
            if finished:  # bill in the engine thread: also when the client has gone
                n_out = h.completion_tokens
                cost = ledger.settle(key, worst, price, len(h.prompt_ids), n_out)
                metrics.observe(h, auth.label(key), cost)
            try:
                loop.call_soon_threadsafe(events.put_nowait, (delta, finished))
            except RuntimeError:  # the event loop is gone (server shutting down)
                pass

        try:
            handle = engine.submit(prompt_ids, params, listener=listener)
        except (QueueFull, RuntimeError) as exc:
            ledger.release(key, worst)
            if not isinstance(exc, QueueFull):  # the engine is stopping
                return oa.api_error(503, None, str(exc), title="Service Unavailable")
            metrics.rejected.labels("queue_full").inc()
            return oa.api_error(
                429,
                None,
                str(exc),
                title="Too Many Requests",
                code="queue_full",
                headers={"Retry-After": "1"},
            )
        rid = ("chatcmpl-" if chat else "cmpl-") + handle.id
        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            stream = sse_events(
                engine, handle, events, request, rid, served.name, chat, include_usage
            )
            return StreamingResponse(
                stream,
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        try:
            if not await finished_or_gone(events, disconnected_event(request)):
                engine.cancel(handle)  # the client left: free its slot at the next step
                return Response(status_code=499)
        finally:
            if not handle.finished:  # also when this handler is cancelled (shutdown)
                engine.cancel(handle)
        if handle.finish_reason == "timeout":
            return oa.api_error(
                504, None, "the request timed out", title="Gateway Timeout", code="timeout"
            )
        if handle.finish_reason in ("error", "cancelled"):
            return oa.api_error(
                503, None, f"request {handle.finish_reason}", title="Service Unavailable"
            )
        return JSONResponse(
            oa.completion_body(
                rid,
                served.name,
                handle.text,
                handle.finish_reason or "stop",
                len(prompt_ids),
                handle.completion_tokens,
                chat,
            )
        )

    return app
