"""A client that disconnects mid-stream cancels its request and frees its KV slot.

Driven at the ASGI level: the test's `receive` answers `http.disconnect` once the first SSE
chunk has been sent, as uvicorn (ASGI spec 2.3) does when the socket closes; Starlette's
StreamingResponse then cancels the stream, whose `finally` cancels the request.
"""

from __future__ import annotations

import asyncio
import json
import time


def test_disconnect_mid_stream_cancels_and_frees_the_slot(make_app):
    app = make_app(api_keys=[])
    engine = app.state.engine
    finished = []
    engine.on_finish.append(finished.append)
    step = engine.step

    def slow_step() -> int:  # ~5 ms a token, so 200 tokens cannot finish before the disconnect
        time.sleep(0.005)
        return step()

    engine.step = slow_step
    body = json.dumps(
        {"model": "tiny-gpt", "prompt": "hi", "max_tokens": 200, "stream": True, "ignore_eos": True}
    ).encode()
    sent: list[dict] = []

    async def drive() -> None:
        first_chunk = asyncio.Event()
        inbox = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict:
            if inbox:
                return inbox.pop(0)
            await first_chunk.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and message.get("body"):
                first_chunk.set()

        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},  # what uvicorn announces
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/v1/completions",
            "raw_path": b"/v1/completions",
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
        }
        await asyncio.wait_for(app(scope, receive, send), timeout=30)

    asyncio.run(drive())
    deadline = time.monotonic() + 10
    while not finished and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sent[0]["status"] == 200
    assert [h.finish_reason for h in finished] == ["cancelled"]
    assert finished[0].completion_tokens < 200
    assert engine.pool.n_free == engine.pool.n_slots and engine.n_running == 0
    assert b"[DONE]" not in b"".join(m.get("body", b"") for m in sent)
