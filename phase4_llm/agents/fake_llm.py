"""A scripted OpenAI-compatible chat server: the stand-in for vLLM in tests and the demo.

It answers `/v1/chat/completions` like vLLM's server does: with a `tool_calls` message when
the last message is the user's task and a `calculator` tool is offered, and with a final
answer quoting the last tool result otherwise.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI

from phase0_env.common.service import ServiceSettings, create_service_app


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """The fake server's app (`uvicorn --factory phase4_llm.agents.fake_llm:create_app`)."""
    app = create_service_app(
        settings or ServiceSettings(service_name="fake-llm"),
        title="Scripted OpenAI-compatible server",
    )

    @app.post("/v1/chat/completions")
    def chat(body: dict[str, Any]) -> dict[str, Any]:
        messages = body.get("messages", [])
        tools = {t["function"]["name"] for t in body.get("tools", [])}
        last = messages[-1] if messages else {"role": "user", "content": ""}
        match = re.search(r"[\d\s+\-*/().]{3,}", last.get("content", ""))
        if (
            last.get("role") == "user"
            and "calculator" in tools
            and match
            and "<<tool-output>>" not in last.get("content", "")
        ):
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_0",
                        "type": "function",
                        "function": {
                            "name": "calculator",
                            "arguments": json.dumps({"expression": match.group(0).strip()}),
                        },
                    }
                ],
            }
        else:
            lines = last.get("content", "").splitlines()
            message = {
                "role": "assistant",
                "content": f"The result is {lines[1] if len(lines) > 1 else '?'}.",
            }
        return {
            "id": "chatcmpl-0",
            "object": "chat.completion",
            "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        }

    return app
