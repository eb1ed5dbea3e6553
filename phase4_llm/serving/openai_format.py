"""The OpenAI wire format: request bodies (pydantic) and the JSON of responses and SSE chunks.

Field names and defaults follow the OpenAI API (temperature 1, max_tokens 16 for completions),
plus two vLLM extensions: `top_k` and `ignore_eos`. Only `n=1` is served.
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from phase0_env.common.service import problem

from .request import SamplingParams


class StreamOptions(BaseModel):
    include_usage: bool = False


class _Common(BaseModel):
    model: str = Field(min_length=1, max_length=200)
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float = Field(default=1.0, ge=0.0, le=2.0)
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    top_k: int | None = Field(default=None, ge=1)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)
    stop: str | list[str] | None = None
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int = Field(default=1, ge=1, le=1)
    user: str | None = Field(default=None, max_length=200)
    ignore_eos: bool = False

    def sampling(self, default_max_tokens: int) -> SamplingParams:
        """Our SamplingParams for this body."""
        stop = (self.stop,) if isinstance(self.stop, str) else tuple(self.stop or ())
        return SamplingParams(
            max_tokens=self.max_tokens or default_max_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            top_k=self.top_k,
            seed=self.seed,
            stop=stop,
            ignore_eos=self.ignore_eos,
        )


class CompletionRequest(_Common):
    """POST /v1/completions."""

    prompt: str = Field(min_length=1, max_length=100_000)


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str = Field(max_length=100_000)


class ChatCompletionRequest(_Common):
    """POST /v1/chat/completions."""

    messages: list[ChatMessage] = Field(min_length=1, max_length=256)


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    """The `usage` object."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def completion_body(
    rid: str, model: str, text: str, finish: str, n_prompt: int, n_out: int, chat: bool
) -> dict[str, Any]:
    """A whole (non-streamed) completion or chat completion."""
    if chat:
        choice: dict[str, Any] = {
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": finish,
            "logprobs": None,
        }
    else:
        choice = {"index": 0, "text": text, "finish_reason": finish, "logprobs": None}
    return {
        "id": rid,
        "object": "chat.completion" if chat else "text_completion",
        "created": int(time.time()),
        "model": model,
        "choices": [choice],
        "usage": usage(n_prompt, n_out),
    }


def chunk(
    rid: str, model: str, delta: str | None, finish: str | None, chat: bool, *, role: bool = False
) -> dict[str, Any]:
    """One streamed chunk; `delta` None with a finish reason closes the choice."""
    if chat:
        d: dict[str, Any] = {"role": "assistant"} if role else {}
        if delta:
            d["content"] = delta
        choice: dict[str, Any] = {"index": 0, "delta": d, "finish_reason": finish}
    else:
        choice = {"index": 0, "text": delta or "", "finish_reason": finish, "logprobs": None}
    return {
        "id": rid,
        "object": "chat.completion.chunk" if chat else "text_completion",
        "created": int(time.time()),
        "model": model,
        "choices": [choice],
    }


def sse(data: dict[str, Any] | str) -> bytes:
    """One server-sent event: `data: <json>\\n\\n` (or `data: [DONE]\\n\\n`)."""
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"data: {payload}\n\n".encode()


def api_error(
    status: int,
    param: str | None,
    message: str,
    *,
    title: str = "Bad Request",
    code: str = "invalid_request_error",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """problem+json that also carries OpenAI's `error` object, so OpenAI clients read it too."""
    if status == 404 and title == "Bad Request":
        title = "Not Found"
    detail = f"{param}: {message}" if param else message
    error = {"message": detail, "type": code, "param": param, "code": code}
    return problem(status, title, detail, headers=headers, error=error)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "bad input (the field is named)"},
    401: {"description": "missing or unknown API key"},
    402: {"description": "the key's budget is exhausted"},
    404: {"description": "unknown model"},
    429: {"description": "waiting queue full"},
    504: {"description": "request timed out"},
}
