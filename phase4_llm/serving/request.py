"""A request's sampling options, its live state in the engine, and the text it has produced.

`RequestHandle` is what `Engine.submit` returns: callers wait on it (`wait()`), or get each
step's new text through a listener callback (the HTTP streaming path does that).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch


class RequestError(ValueError):
    """Bad request input; `field` names the offending field (the API answers 400 with it)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class QueueFull(RuntimeError):
    """The waiting queue is at its bound (the API answers 429)."""


@dataclass(frozen=True)
class SamplingParams:
    """Per-request decoding options (OpenAI names). temperature 0 means greedy."""

    max_tokens: int = 16
    temperature: float = 0.0
    top_p: float = 1.0
    top_k: int | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    ignore_eos: bool = False  # benchmarks: fixed output length, as vLLM's --ignore-eos

    def validate(self) -> None:
        """Raise RequestError naming the first invalid field."""
        if self.max_tokens < 1:
            raise RequestError("max_tokens", f"must be >= 1, got {self.max_tokens}")
        if not 0.0 <= self.temperature <= 2.0:
            raise RequestError("temperature", f"must be in [0, 2], got {self.temperature}")
        if not 0.0 < self.top_p <= 1.0:
            raise RequestError("top_p", f"must be in (0, 1], got {self.top_p}")
        if self.top_k is not None and self.top_k < 1:
            raise RequestError("top_k", f"must be >= 1, got {self.top_k}")
        if any(not s for s in self.stop):
            raise RequestError("stop", "stop strings must be non-empty")

    @property
    def greedy(self) -> bool:
        """True when decoding takes the argmax (temperature 0)."""
        return self.temperature == 0.0


Listener = Callable[["RequestHandle", str, bool], None]  # (handle, new text, finished)


@dataclass(eq=False)
class RequestHandle:
    """One request: inputs, progress, output and timings (monotonic seconds)."""

    id: str
    prompt_ids: list[int]
    params: SamplingParams
    deadline: float | None = None
    listener: Listener | None = None
    output_ids: list[int] = field(default_factory=list)
    text: str = ""  # final text (after stop-string truncation) once finished
    finish_reason: str | None = None  # "stop", "length", "cancelled", "timeout" or "error"
    completion_tokens: int = 0  # tokens the model produced, EOS included
    arrival: float = field(default_factory=time.monotonic)
    token_times: list[float] = field(default_factory=list)
    admitted_step: int | None = None
    finished_step: int | None = None
    # Engine-private state.
    slot: int | None = None
    past: int = 0
    cancel_requested: bool = False
    generator: torch.Generator | None = None
    emitted: str = ""
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float | None = None) -> RequestHandle:
        """Block until finished; raises TimeoutError if `timeout` seconds pass first."""
        if not self.done.wait(timeout):
            raise TimeoutError(f"request {self.id} not finished after {timeout} s")
        return self

    @property
    def finished(self) -> bool:
        """True once a finish reason is set."""
        return self.finish_reason is not None

    @property
    def ttft(self) -> float | None:
        """Seconds from arrival to the first generated token."""
        return self.token_times[0] - self.arrival if self.token_times else None


def stop_position(text: str, stops: tuple[str, ...], search_from: int) -> int | None:
    """Index where the earliest stop string starts in `text` (searching from `search_from`).

    Example: stop_position("ab.cd", (".",), 0) -> 2.
    """
    hits = [i for s in stops if (i := text.find(s, max(0, search_from))) >= 0]
    return min(hits) if hits else None


def safe_prefix(text: str, stops: tuple[str, ...]) -> str:
    """The part of `text` that can be streamed now: no trailing incomplete character
    ("\\ufffd" of a partial UTF-8 sequence) and no tail that could still become a stop string.
    """
    end = len(text)
    while end > len(text) - 3 and end > 0 and text[end - 1] == "\ufffd":
        end -= 1  # an unfinished UTF-8 character decodes as one U+FFFD (held back, at most 3)
    if stops:
        end = min(end, len(text) - (max(len(s) for s in stops) - 1))
    return text[: max(0, end)]


def update_text(h: RequestHandle, full: str, *, finishing: bool) -> tuple[str, bool]:
    """Set `h.text` from the decoded output `full` (cut at a stop string) and return the
    new streamable text and whether a stop string was hit."""
    cut = stop_position(full, h.params.stop, 0) if h.params.stop else None
    if cut is not None:
        full = full[:cut]
    h.text = full
    ready = full if finishing or cut is not None else safe_prefix(full, h.params.stop)
    if not ready.startswith(h.emitted):  # decoding changed already-sent text: send nothing
        return "", cut is not None
    delta, h.emitted = ready[len(h.emitted) :], ready
    return delta, cut is not None


def validate_request(
    prompt_ids: list[int],
    params: SamplingParams,
    *,
    vocab_size: int,
    max_len: int,
    max_batch_tokens: int,
    can_decode: bool,
) -> None:
    """Raise RequestError naming the field when a request cannot be served."""
    params.validate()
    n = len(prompt_ids)
    if n == 0:
        raise RequestError("prompt", "must not be empty")
    if n >= max_len:
        raise RequestError(
            "prompt", f"{n} tokens; the context is {max_len} tokens, leave room for one"
        )
    if n + params.max_tokens > max_len:
        raise RequestError(
            "max_tokens",
            f"{n} prompt tokens + max_tokens {params.max_tokens} exceed the context of "
            f"{max_len} tokens; at most {max_len - n}",
        )
    if n > max_batch_tokens:
        raise RequestError("prompt", f"{n} tokens > max_batch_tokens {max_batch_tokens}")
    # Last: the only check that reads every id, done once the length is known to be bounded.
    if any(not 0 <= t < vocab_size for t in prompt_ids):
        raise RequestError("prompt", f"token ids must be in [0, {vocab_size})")
    if params.stop and not can_decode:
        raise RequestError("stop", "this engine has no tokenizer to match stop strings")
