"""A minimal OpenAI-wire-format client over httpx (stands in for the `openai` SDK in tests).

Example: parse_sse(['data: {"a": 1}', '', 'data: [DONE]']) -> [{"a": 1}].
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def parse_sse(lines: Iterable[str]) -> list[dict[str, Any]]:
    """The JSON payloads of an SSE stream up to `data: [DONE]` (raises if it never comes)."""
    events: list[dict[str, Any]] = []
    for line in lines:
        if not line.startswith("data: "):
            continue
        payload = line[len("data: ") :]
        if payload == "[DONE]":
            return events
        events.append(json.loads(payload))
    raise ValueError("stream ended without data: [DONE]")


def streamed_text(events: list[dict[str, Any]]) -> str:
    """Concatenate the text deltas of completion or chat-completion chunks."""
    parts = []
    for e in events:
        for choice in e.get("choices", []):
            parts.append(choice.get("text") or choice.get("delta", {}).get("content") or "")
    return "".join(parts)


def finish_reason(events: list[dict[str, Any]]) -> str | None:
    """The finish reason of the stream's closing chunk."""
    reasons = [c["finish_reason"] for e in events for c in e.get("choices", [])]
    return next((r for r in reversed(reasons) if r), None)
