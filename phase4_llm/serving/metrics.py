"""Prometheus metrics of the server (vLLM-like names), registered on the app's registry."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from .engine import Engine
from .request import RequestHandle

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass
class ServingMetrics:
    """TTFT and time-per-output-token histograms, queue/batch gauges, token and cost counters."""

    ttft: Histogram
    tpot: Histogram
    prompt_tokens: Counter
    completion_tokens: Counter
    requests: Counter
    cost: Counter
    rejected: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry, engine: Engine) -> ServingMetrics:
        """Register every metric; the gauges read the engine when scraped."""
        queue = Gauge("llm_queue_depth", "Requests waiting for a KV slot", registry=registry)
        queue.set_function(lambda: engine.queue_depth)
        running = Gauge(
            "llm_running_batch_size", "Requests in the running batch", registry=registry
        )
        running.set_function(lambda: engine.n_running)
        free = Gauge("llm_kv_slots_free", "Free KV-cache slots", registry=registry)
        free.set_function(lambda: engine.pool.n_free)
        return cls(
            ttft=Histogram(
                "llm_time_to_first_token_seconds",
                "Arrival to first generated token",
                registry=registry,
                buckets=LATENCY_BUCKETS,
            ),
            tpot=Histogram(
                "llm_time_per_output_token_seconds",
                "Mean gap between output tokens after the first, per request",
                registry=registry,
                buckets=LATENCY_BUCKETS,
            ),
            prompt_tokens=Counter(
                "llm_prompt_tokens", "Prompt tokens processed", ["api_key"], registry=registry
            ),
            completion_tokens=Counter(
                "llm_completion_tokens", "Tokens generated", ["api_key"], registry=registry
            ),
            requests=Counter(
                "llm_requests_finished", "Finished requests", ["finish_reason"], registry=registry
            ),
            cost=Counter("llm_cost_usd", "Spending by API key", ["api_key"], registry=registry),
            rejected=Counter(
                "llm_requests_rejected", "Requests refused", ["reason"], registry=registry
            ),
        )

    def observe(self, h: RequestHandle, key_label: str, cost_usd: float) -> None:
        """Record a finished request."""
        if h.ttft is not None:
            self.ttft.observe(h.ttft)
        if len(h.token_times) > 1:
            gaps = h.token_times[-1] - h.token_times[0]
            self.tpot.observe(gaps / (len(h.token_times) - 1))
        self.prompt_tokens.labels(key_label).inc(len(h.prompt_ids))
        self.completion_tokens.labels(key_label).inc(h.completion_tokens)
        self.requests.labels(h.finish_reason or "unknown").inc()
        self.cost.labels(key_label).inc(cost_usd)
