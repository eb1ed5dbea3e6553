"""A tool registry: JSON-schema-checked arguments, per-call timeouts, and retries only where safe.

A retry re-runs a tool, so only tools declared idempotent are retried (exponential backoff with
full jitter). A non-idempotent tool is protected the other way round: a call carrying an
idempotency key that already succeeded returns the recorded result instead of running twice.
"""

from __future__ import annotations

import concurrent.futures
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from phase4_llm.agents.audit import AuditLog


class ToolError(Exception):
    """A tool call that did not produce a result; the message is safe to show the policy."""


@dataclass(frozen=True)
class Tool:
    """A callable the agent may use, with its argument schema and its safety settings."""

    name: str
    description: str
    parameters: dict[str, Any]
    func: Callable[..., Any]
    idempotent: bool = False
    timeout_s: float = 5.0
    max_retries: int = 2


@dataclass
class ToolRegistry:
    """The tools of one agent; every call is validated, bounded in time, and audited."""

    audit: AuditLog = field(default_factory=AuditLog)
    backoff_base_s: float = 0.05
    backoff_cap_s: float = 1.0
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    _tools: dict[str, Tool] = field(default_factory=dict)
    _done: dict[tuple[str, str], Any] = field(default_factory=dict)
    _pool: concurrent.futures.ThreadPoolExecutor = field(
        default_factory=lambda: concurrent.futures.ThreadPoolExecutor(max_workers=4)
    )

    def register(self, tool: Tool) -> Tool:
        jsonschema.Draft202012Validator.check_schema(tool.parameters)
        if tool.name in self._tools:
            raise ValueError(f"tool {tool.name!r} is already registered")
        self._tools[tool.name] = tool
        return tool

    def names(self) -> list[str]:
        return sorted(self._tools)

    def describe(self) -> list[dict[str, Any]]:
        """The tool list in the OpenAI function-calling shape."""
        return [
            {
                "type": "function",
                "function": {
                    "name": t.name,
                    "description": t.description,
                    "parameters": t.parameters,
                },
            }
            for t in self._tools.values()
        ]

    def call(self, name: str, arguments: Any, idempotency_key: str | None = None) -> Any:
        """Validate, run (with timeout and allowed retries), audit, and return the result."""
        tool = self._tools.get(name)
        if tool is None:
            self.audit.record("tool_rejected", tool=name, reason="unknown tool")
            raise ToolError(f"unknown tool {name!r}; available: {', '.join(self.names())}")
        problems = sorted(
            jsonschema.Draft202012Validator(tool.parameters).iter_errors(arguments),
            key=lambda e: list(e.path),
        )
        if problems:
            detail = "; ".join(
                f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in problems
            )
            self.audit.record("tool_rejected", tool=name, reason="invalid arguments", detail=detail)
            raise ToolError(f"invalid arguments for {name}: {detail}")
        if idempotency_key is not None and (name, idempotency_key) in self._done:
            self.audit.record("tool_replayed", tool=name, key=idempotency_key)
            return self._done[(name, idempotency_key)]
        attempts = 1 + (tool.max_retries if tool.idempotent else 0)
        for attempt in range(1, attempts + 1):
            start = time.perf_counter()
            try:
                result = self._run(tool, arguments)
            except ToolError as exc:
                self.audit.record(
                    "tool_failed",
                    tool=name,
                    attempt=attempt,
                    error=str(exc),
                    seconds=round(time.perf_counter() - start, 4),
                )
                if attempt == attempts:
                    raise
                time.sleep(self._backoff(attempt))
                continue
            self.audit.record(
                "tool_called",
                tool=name,
                attempt=attempt,
                args=arguments,
                seconds=round(time.perf_counter() - start, 4),
            )
            if idempotency_key is not None:
                self._done[(name, idempotency_key)] = result
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _run(self, tool: Tool, arguments: dict[str, Any]) -> Any:
        # A thread cannot be killed: the call returns at the deadline and the thread is
        # abandoned. Tools that may not stop on their own belong in the sandbox (a process).
        future = self._pool.submit(tool.func, **arguments)
        try:
            return future.result(timeout=tool.timeout_s)
        except concurrent.futures.TimeoutError as exc:
            raise ToolError(f"{tool.name} timed out after {tool.timeout_s} s") from exc
        except ToolError:
            raise
        except Exception as exc:  # a tool's own failure is data for the policy, not a crash
            raise ToolError(f"{tool.name} failed: {type(exc).__name__}: {exc}") from exc

    def _backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
        return self.rng.uniform(0, min(self.backoff_cap_s, self.backoff_base_s * 2**attempt))
