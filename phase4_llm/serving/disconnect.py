"""Client-disconnect detection that works under any middleware: an event in the ASGI scope.

Starlette's `request.is_disconnected()` polls `receive()` inside a cancelled scope; behind the
kit's `@app.middleware("http")` (a BaseHTTPMiddleware, whose receive runs in a task group)
that poll always answers False, so a non-streamed request kept its KV slot until `max_tokens`
after its client had gone. This outermost pure-ASGI middleware owns the server's `receive`
instead: once the request body has been read, one task waits on `receive()` and sets
`scope[DISCONNECTED]` (an `asyncio.Event`) on `http.disconnect`; the app's own later
`receive()` calls wait on that event, so nothing else competes for the server's messages.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from fastapi import Request

Message = dict[str, Any]
DISCONNECTED = "roadmap.disconnected"


class DisconnectWatch:
    """ASGI middleware: `scope[DISCONNECTED]` is set as soon as the client goes away."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gone = asyncio.Event()
        scope[DISCONNECTED] = gone
        watcher: asyncio.Task[None] | None = None

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass  # after the body only a disconnect is expected; ignore anything else
            gone.set()

        async def app_receive() -> Message:
            nonlocal watcher
            if watcher is not None:  # the body is complete: the next message is the end
                await gone.wait()
                return {"type": "http.disconnect"}
            message: Message = await receive()
            if message["type"] == "http.disconnect":
                gone.set()
            elif not message.get("more_body", False):
                watcher = asyncio.create_task(watch())
            return message

        try:
            await self.app(scope, app_receive, send)
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher


def disconnected_event(request: Request) -> asyncio.Event:
    """The request's disconnect event (a fresh, never-set one outside `DisconnectWatch`)."""
    event = request.scope.get(DISCONNECTED)
    return event if isinstance(event, asyncio.Event) else asyncio.Event()


async def finished_or_gone(events: asyncio.Queue[tuple[str, bool]], gone: asyncio.Event) -> bool:
    """Wait for a request's last event (True) or for its client to disconnect (False)."""

    async def last_event() -> None:
        while not (await events.get())[1]:
            pass

    done_task = asyncio.ensure_future(last_event())
    gone_task = asyncio.ensure_future(gone.wait())
    try:
        await asyncio.wait({done_task, gone_task}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        done_task.cancel()
        gone_task.cancel()
    return done_task.done() and not done_task.cancelled()
