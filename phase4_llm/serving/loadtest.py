"""A vLLM-style serving benchmark: N requests, C concurrent clients, latency percentiles.

Metrics as in vLLM's `benchmark_serving.py`: request throughput, output tokens/s, TTFT (arrival
to first token, queueing included), TPOT (per request: (last - first) / (tokens - 1)) and ITL
(every gap between consecutive tokens), each as mean, median and p99 in milliseconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from phase0_env.common.loadresult import LoadResult

# serve(prompt, max_tokens) -> (arrival time, token times, token ids), monotonic seconds.
ServeFn = Callable[[list[int], int], tuple[float, list[float], list[int]]]


def run_load(serve: ServeFn, requests: list[tuple[list[int], int]], concurrency: int) -> LoadResult:
    """Send `requests` from `concurrency` client threads (each sends its next request as soon
    as its previous one is answered) and collect every token's timestamp."""
    slots: list[Any] = [None] * len(requests)
    next_index = iter(range(len(requests)))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            slots[i] = serve(*requests[i])

    start = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = LoadResult(seconds=time.monotonic() - start, concurrency=concurrency)
    for arrival, times, ids in slots:
        result.arrivals.append(arrival)
        result.token_times.append(times)
        result.outputs.append(ids)
    return result


def engine_server(engine: Any) -> ServeFn:
    """A ServeFn over a started `Engine` (fixed output length: EOS ignored, as vLLM's bench)."""
    from .request import SamplingParams

    def serve(prompt: list[int], max_tokens: int) -> tuple[float, list[float], list[int]]:
        h = engine.submit(prompt, SamplingParams(max_tokens=max_tokens, ignore_eos=True)).wait()
        return h.arrival, list(h.token_times), list(h.output_ids)

    return serve


def transformers_server(hf_model: Any) -> ServeFn:
    """A ServeFn calling transformers' `generate` one request at a time (a lock), timing every
    token through a streamer; waiting for the lock counts in TTFT, as queueing would."""
    import torch
    from transformers.generation.streamers import BaseStreamer

    lock = threading.Lock()

    class Clock(BaseStreamer):
        def __init__(self) -> None:
            self.times: list[float] = []
            self.prompt_seen = False

        def put(self, value: Any) -> None:
            if self.prompt_seen:  # the first put is the prompt itself
                self.times.append(time.monotonic())
            self.prompt_seen = True

        def end(self) -> None:
            pass

    def serve(prompt: list[int], max_tokens: int) -> tuple[float, list[float], list[int]]:
        arrival = time.monotonic()
        clock = Clock()
        with lock, torch.no_grad():
            x = torch.tensor([prompt])
            out = hf_model.generate(
                x,
                attention_mask=torch.ones_like(x),
                max_new_tokens=max_tokens,
                do_sample=False,
                streamer=clock,
            )
        return arrival, clock.times, out[0, len(prompt) :].tolist()

    return serve
