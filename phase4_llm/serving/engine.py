"""The continuous-batching engine: requests join and leave the running batch at every step.

One background thread runs `step()` in a loop. A step (1) drops cancelled and timed-out
requests, freeing their KV slots, (2) admits waiting requests first-come-first-served while a
slot is free and the step's token budget (`max_batch_tokens`: prompt tokens + one per running
row) allows, prefilling them in one padded forward pass, (3) decodes one token for every
row that was already running, in one forward pass, and (4) retires rows that hit EOS, a stop
string, `max_tokens` or the slot's length. Each row has its own slot, positions and mask
(`batched_forward`), so its tokens are the ones it would get alone. A row whose token cannot
be chosen (no finite logit) ends alone with finish reason "error"; the others go on.

What this adds over `minimal.greedy_with_cache` (the same tokens per request): many requests
share each forward pass (bench.py measures the throughput against one at a time), a request
joins or leaves between any two steps instead of waiting for a whole batch, KV memory is a
fixed pool of slots within a byte budget, and sampling, stop rules, cancellation and
timeouts act per row.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable

import torch

from phase4_llm.gpt.model import GPT

from .batched_forward import forward_batch
from .kv_pool import SlotKVPool
from .request import (
    Listener,
    QueueFull,
    RequestHandle,
    SamplingParams,
    update_text,
    validate_request,
)
from .row_sampler import sample_rows

log = logging.getLogger("roadmap.serving.engine")


class Engine:
    """Schedules requests onto a slot KV pool and decodes them in batches.

    `kv_budget_bytes` sizes the pool (see `kv_pool`); `max_running` caps the batch (1 gives
    the one-request-at-a-time baseline); `max_queue` bounds the waiting queue.
    """

    def __init__(
        self,
        model: GPT,
        *,
        eos_token_id: int | None,
        decode: Callable[[list[int]], str] | None = None,
        kv_budget_bytes: int = 64 * 2**20,
        max_len: int | None = None,
        max_running: int | None = None,
        max_batch_tokens: int = 4096,
        max_queue: int = 64,
        request_timeout_s: float | None = None,
    ) -> None:
        self.model = model.eval()
        param = next(model.parameters())
        self.device = param.device
        self.pool = SlotKVPool(
            model.config,
            max_len=max_len or model.config.block_size,
            budget_bytes=kv_budget_bytes,
            dtype=param.dtype,
            device=param.device,
        )
        self.max_len = self.pool.max_len
        self.max_running = min(max_running or self.pool.n_slots, self.pool.n_slots)
        self.max_batch_tokens = max_batch_tokens
        self.max_queue = max_queue
        self.eos_token_id = eos_token_id
        self.decode = decode
        self.request_timeout_s = request_timeout_s
        self.steps = 0
        self._waiting: deque[RequestHandle] = deque()
        self._running: list[RequestHandle] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._paused = False
        self.on_finish: list[Callable[[RequestHandle], None]] = []

    # -- public API (any thread) --------------------------------------------------------

    def submit(
        self,
        prompt_ids: list[int],
        params: SamplingParams,
        *,
        timeout_s: float | None = None,
        listener: Listener | None = None,
        request_id: str | None = None,
    ) -> RequestHandle:
        """Queue a request; raises RequestError on bad input and QueueFull at the bound."""
        self.validate(prompt_ids, params)
        timeout = timeout_s if timeout_s is not None else self.request_timeout_s
        handle = RequestHandle(
            id=request_id or uuid.uuid4().hex,
            prompt_ids=list(prompt_ids),
            params=params,
            listener=listener,
        )
        handle.deadline = handle.arrival + timeout if timeout else None
        with self._cond:
            if self._stopping:
                raise RuntimeError("the engine is stopped")
            if len(self._waiting) >= self.max_queue:
                raise QueueFull(
                    f"the waiting queue is full ({self.max_queue} requests); retry later"
                )
            self._waiting.append(handle)
            self._cond.notify()
        return handle

    def validate(self, prompt_ids: list[int], params: SamplingParams) -> None:
        """Raise RequestError naming the field when the request cannot be served."""
        validate_request(
            prompt_ids,
            params,
            vocab_size=self.model.config.vocab_size,
            max_len=self.max_len,
            max_batch_tokens=self.max_batch_tokens,
            can_decode=self.decode is not None,
        )

    def cancel(self, handle: RequestHandle) -> None:
        """Ask the engine to drop the request at its next step (its slot is freed there)."""
        with self._cond:
            handle.cancel_requested = True
            self._cond.notify()

    def generate(self, prompt_ids: list[int], params: SamplingParams) -> RequestHandle:
        """Submit and wait (needs `start()`, or another thread calling `step()`)."""
        return self.submit(prompt_ids, params).wait()

    @property
    def queue_depth(self) -> int:
        """Requests waiting for a slot."""
        return len(self._waiting)

    @property
    def n_running(self) -> int:
        """Requests holding a slot."""
        return len(self._running)

    @property
    def is_running(self) -> bool:
        """True while the background decode loop runs."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Engine:
        """Run the decode loop in a background thread."""
        if self._thread is None:
            self._stopping = False
            self._thread = threading.Thread(target=self._loop, name="engine", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the loop and finish every open request as cancelled."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        with self._cond:
            left = list(self._waiting) + self._running
            self._waiting.clear()
        for h in left:
            self._finish(h, "cancelled")

    def pause(self, paused: bool = True) -> None:
        """Hold (or resume) the decode loop; requests still queue up (drains, tests)."""
        with self._cond:
            self._paused = paused
            self._cond.notify()

    def run_until_idle(self, max_steps: int = 100_000) -> None:
        """Step until nothing waits or runs (tests and benches drive the engine this way)."""
        for _ in range(max_steps):
            if not self._waiting and not self._running:
                return
            self.step()
        raise RuntimeError(f"engine still busy after {max_steps} steps")

    # -- the loop (engine thread) -------------------------------------------------------

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and (
                    self._paused or (not self._waiting and not self._running)
                ):
                    self._cond.wait(timeout=0.5)
                if self._stopping:
                    return
            try:
                self.step()
            except Exception:  # keep serving: fail the rows of this step, not the server
                log.exception("engine step failed")
                for h in list(self._running):
                    try:
                        self._finish(h, "error")
                    except Exception:  # a failing listener must not end the loop
                        log.exception("finishing request %s failed", h.id)

    def step(self) -> int:
        """One scheduling iteration; returns the number of tokens generated."""
        self.steps += 1
        now = time.monotonic()
        for h in list(self._running):
            reason = _drop_reason(h, now)
            if reason:
                self._finish(h, reason)
        admitted = self._admit(now)
        generated = 0
        decoding = [h for h in self._running if h not in admitted]
        if admitted:
            generated += self._prefill(admitted)
        if decoding:
            generated += self._decode(decoding)
        return generated

    def _admit(self, now: float) -> list[RequestHandle]:
        admitted: list[RequestHandle] = []
        budget = self.max_batch_tokens - len(self._running)
        with self._cond:
            for h in [h for h in self._waiting if _drop_reason(h, now)]:
                self._waiting.remove(h)
                self._finish(h, _drop_reason(h, now) or "cancelled")
            while self._waiting and len(self._running) < self.max_running:
                head = self._waiting[0]
                if len(head.prompt_ids) > budget:
                    break  # first come, first served: wait for the batch to shrink
                self._waiting.popleft()
                head.slot = self.pool.allocate()
                head.admitted_step = self.steps
                budget -= len(head.prompt_ids)
                admitted.append(head)
                self._running.append(head)
        return admitted

    def _prefill(self, rows: list[RequestHandle]) -> int:
        width = max(len(h.prompt_ids) for h in rows)
        tokens = torch.zeros(len(rows), width, dtype=torch.long)
        for i, h in enumerate(rows):
            tokens[i, : len(h.prompt_ids)] = torch.tensor(h.prompt_ids)
        n_new = torch.tensor([len(h.prompt_ids) for h in rows])
        return self._forward_and_sample(rows, tokens, n_new)

    def _decode(self, rows: list[RequestHandle]) -> int:
        tokens = torch.tensor([[h.output_ids[-1]] for h in rows])
        return self._forward_and_sample(rows, tokens, torch.ones(len(rows), dtype=torch.long))

    def _forward_and_sample(
        self, rows: list[RequestHandle], tokens: torch.Tensor, n_new: torch.Tensor
    ) -> int:
        past = torch.tensor([h.past for h in rows])
        slots = [h.slot for h in rows]
        logits = forward_batch(
            self.model,
            self.pool,
            tokens.to(self.device),
            n_new.to(self.device),
            past.to(self.device),
            slots,  # type: ignore[arg-type]
        )
        next_ids, failed = sample_rows(rows, logits)
        now = time.monotonic()
        for i, (h, n, token) in enumerate(zip(rows, n_new.tolist(), next_ids, strict=True)):
            h.past += n
            if token is None:  # this request's sampling failed: it ends alone
                log.warning("request %s failed: %s", h.id, failed.get(i))
                self._finish(h, "error")
                continue
            try:
                self._append(h, token, now)
            except Exception:  # e.g. its listener or stop-string handling raised
                log.exception("request %s failed after its token", h.id)
                self._finish(h, "error")
        return len(rows) - len(failed)

    def _append(self, h: RequestHandle, token: int, now: float) -> None:
        h.token_times.append(now)
        h.completion_tokens += 1
        is_eos = token == self.eos_token_id and not h.params.ignore_eos
        if not is_eos:
            h.output_ids.append(token)
        reason = None
        if is_eos:
            reason = "stop"
        elif len(h.output_ids) >= h.params.max_tokens or h.past >= self.max_len:
            reason = "length"
        text_delta = ""
        if self.decode is not None:
            text_delta, hit_stop = update_text(h, self.decode(h.output_ids), finishing=bool(reason))
            reason = "stop" if hit_stop else reason
        if reason:
            self._finish(h, reason, text_delta)
        elif h.listener is not None and (text_delta or self.decode is None):
            h.listener(h, text_delta, False)

    def _finish(self, h: RequestHandle, reason: str, text_delta: str = "") -> None:
        if h.finished:
            return
        h.finish_reason = reason
        h.finished_step = self.steps
        if h in self._running:
            self._running.remove(h)
        if h.slot is not None:
            self.pool.free(h.slot)
            h.slot = None
        try:
            for hook in self.on_finish:
                hook(h)
            if h.listener is not None:
                h.listener(h, text_delta, True)
        finally:  # a failing hook must not leave a waiter blocked forever
            h.done.set()


def _drop_reason(h: RequestHandle, now: float) -> str | None:
    if h.cancel_requested:
        return "cancelled"
    if h.deadline is not None and now > h.deadline:
        return "timeout"
    return None
