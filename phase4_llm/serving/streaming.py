"""Server-sent events for a streamed completion: text deltas as they are decoded.

A client that disconnects cancels its request, which frees its KV slot at the next step.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import Request

from . import openai_format as oa
from .disconnect import disconnected_event
from .engine import Engine
from .request import RequestHandle


async def sse_events(
    engine: Engine,
    handle: RequestHandle,
    events: asyncio.Queue[tuple[str, bool]],
    request: Request,
    rid: str,
    model: str,
    chat: bool,
    include_usage: bool,
) -> AsyncIterator[bytes]:
    """The SSE body: role chunk (chat), text deltas, a closing chunk, usage, `[DONE]`.

    A client that disconnects cancels the request, which frees its KV slot at the next step.
    """
    gone = disconnected_event(request)
    try:
        if chat:
            yield oa.sse(oa.chunk(rid, model, None, None, chat, role=True))
        while True:
            try:
                delta, finished = await asyncio.wait_for(events.get(), timeout=0.5)
            except TimeoutError:
                if gone.is_set():
                    return
                continue
            if delta:
                yield oa.sse(oa.chunk(rid, model, delta, None, chat))
            if finished:
                break
            if gone.is_set():
                return
        yield oa.sse(oa.chunk(rid, model, None, handle.finish_reason, chat))
        if include_usage:
            n_prompt, n_out = len(handle.prompt_ids), handle.completion_tokens
            body = oa.chunk(rid, model, None, None, chat)
            body["choices"], body["usage"] = [], oa.usage(n_prompt, n_out)
            yield oa.sse(body)
        yield oa.sse("[DONE]")
    finally:
        if not handle.finished:
            engine.cancel(handle)
