"""A `torch.profiler` study of phase 4's GPT: a training step, generation, and one fix it found.

`profile_callable` runs a function under the profiler (CPU time per operator, memory per
operator, an optional Chrome trace) and sums self time into a few categories a reader can act
on: matmuls, attention, copies and layout changes, elementwise work, the optimizer. The
reading of SmolLM2's generation profile pointed at `aten::copy_`: grouped-query attention
copied every kv head over its query heads (`repeat_interleave`) at every decoding step, so
each step re-copied the whole cache. The model now lets SDPA broadcast the heads
(`enable_gqa`); `decode_step_rows` measures the step before and after, at three context
lengths, and checks the logits are bit-identical.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch.profiler import ProfilerActivity, profile, record_function

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT, CausalSelfAttention

# Operator name fragments -> category; the first match wins, so the order matters.
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("optimizer", ("_foreach_", "adam", "Optimizer")),
    ("attention", ("scaled_dot_product", "flash_attention", "_efficient_attention")),
    ("matmul", ("aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::linear")),
    (
        "copies and layout",
        ("copy_", "aten::cat", "repeat", "index_select", "aten::clone", "contiguous", "fill_"),
    ),
    (
        "elementwise",
        (
            "aten::mul",
            "aten::add",
            "aten::sub",
            "aten::div",
            "aten::pow",
            "rsqrt",
            "silu",
            "gelu",
            "aten::neg",
            "aten::mean",
            "aten::sum",
            "softmax",
            "aten::exp",
            "aten::where",
            "norm",
        ),
    ),
)


def category_of(op_name: str) -> str:
    """The study's category of a profiler operator name ("other" when none matches)."""
    for category, fragments in CATEGORIES:
        if any(f in op_name for f in fragments):
            return category
    return "other"


@dataclass
class OpProfile:
    """Where one profiled call spent CPU time (ms) and which operators allocated memory (MB)."""

    total_ms: float
    by_category: dict[str, float]
    top_ops: list[tuple[str, float, int]]  # (operator, self ms, calls)
    top_memory: list[tuple[str, float]]  # (operator, MB allocated by the operator itself)
    regions: dict[str, float] = field(default_factory=dict)  # record_function label -> ms

    def shares(self) -> dict[str, float]:
        """Each category's fraction of the total self time."""
        return {k: v / self.total_ms for k, v in self.by_category.items()} if self.total_ms else {}


def profile_callable(
    fn: Callable[[], Any], *, warmup: int = 1, trace_path: Path | None = None, top: int = 8
) -> OpProfile:
    """Run `fn` `warmup` times, then once under the profiler; summarise by operator."""
    for _ in range(warmup):
        fn()
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        fn()
    if trace_path is not None:
        trace_path.parent.mkdir(parents=True, exist_ok=True)
        prof.export_chrome_trace(str(trace_path))
    events = prof.key_averages()
    by_category: dict[str, float] = {}
    ops, regions, memory = [], {}, []
    for ev in events:
        if ev.key.startswith("aten::") or ev.key.startswith("Optimizer"):
            self_ms = ev.self_cpu_time_total / 1e3
            cat = category_of(ev.key)
            by_category[cat] = by_category.get(cat, 0.0) + self_ms
            ops.append((ev.key, self_ms, ev.count))
            if ev.self_cpu_memory_usage > 0:
                memory.append((ev.key, ev.self_cpu_memory_usage / 2**20))
        elif ev.key.startswith("study:"):
            regions[ev.key.removeprefix("study:")] = ev.cpu_time_total / 1e3
    ops.sort(key=lambda r: -r[1])
    memory.sort(key=lambda r: -r[1])
    return OpProfile(
        total_ms=sum(by_category.values()),
        by_category=dict(sorted(by_category.items(), key=lambda kv: -kv[1])),
        top_ops=ops[:top],
        top_memory=memory[:top],
        regions=regions,
    )


def training_step(model: GPT, batch: int, seq: int, seed: int = 0) -> Callable[[], float]:
    """One AdamW step of `model` on a fixed random batch, its phases labelled for the profile."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randint(0, model.config.vocab_size, (batch, seq), generator=gen)
    y = torch.randint(0, model.config.vocab_size, (batch, seq), generator=gen)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()

    def step() -> float:
        with record_function("study:forward"):
            _, loss = model(x, y)
        with record_function("study:backward"):
            opt.zero_grad(set_to_none=True)
            loss.backward()
        with record_function("study:optimizer"):
            opt.step()
        return loss.item()

    return step


def generation(model: GPT, prompt_len: int, new_tokens: int, seed: int = 0) -> Callable[[], Any]:
    """Greedy generation after a fixed random prompt, with prefill and decode labelled."""
    from phase4_llm.gpt.generate import stream

    gen = torch.Generator().manual_seed(seed)
    idx = torch.randint(0, model.config.vocab_size, (1, prompt_len), generator=gen)

    def run() -> list[int]:
        tokens = []
        it = stream(model.eval(), idx, new_tokens)
        with record_function("study:prefill"):
            tokens.append(int(next(it)))
        with record_function("study:decode"):
            tokens.extend(int(t) for t in it)
        return tokens

    return run


class ExpandedKVAttention(CausalSelfAttention):
    """The attention before the fix: kv heads copied to every query head, then plain SDPA."""

    def attend(
        self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None
    ) -> torch.Tensor:
        group = self.n_head // self.n_kv_head
        k = k.repeat_interleave(group, dim=1)  # (b, n_kv_head, s, d) -> (b, n_head, s, d)
        v = v.repeat_interleave(group, dim=1)
        dropout = self.dropout if self.training else 0.0
        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=dropout, scale=self.scale
        )


@contextmanager
def expanded_kv(model: GPT, expand: bool = True) -> Iterator[GPT]:
    """Within the block, `model`'s attention copies kv heads (the path before the fix)."""
    layers = [m for m in model.modules() if isinstance(m, CausalSelfAttention)]
    before = [type(m) for m in layers]
    for m in layers:
        m.__class__ = ExpandedKVAttention if expand else CausalSelfAttention
    try:
        yield model
    finally:
        for m, cls in zip(layers, before, strict=True):
            m.__class__ = cls


def decode_step(model: GPT, context: int, seed: int = 0) -> Callable[[], torch.Tensor]:
    """One decoding step at `context` cached tokens (random cache contents: cost, not quality)."""
    gen = torch.Generator().manual_seed(seed)
    cache = model.new_cache(1, context + 1)
    for k, v in zip(cache.keys, cache.values, strict=True):
        k.normal_(generator=gen)
        v.normal_(generator=gen)
    token = torch.randint(0, model.config.vocab_size, (1, 1), generator=gen)
    model.eval()

    @torch.no_grad()
    def step() -> torch.Tensor:
        cache.length = context  # every call decodes the same position
        logits, _ = model(token, cache=cache)
        return logits

    return step


def ab_ms(model: GPT, fn: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Best wall time (ms) of `fn` with copied kv heads and with broadcast ones, interleaved.

    The two variants alternate call by call and the minimum is kept, so a burst of load from
    other processes hits both alike and cannot make one look faster.
    """
    best = {True: float("inf"), False: float("inf")}
    for i in range(repeats + 1):
        for expand in (True, False):
            with expanded_kv(model, expand):
                start = time.perf_counter()
                fn()
                elapsed = time.perf_counter() - start
            if i:  # the first round warms up both variants
                best[expand] = min(best[expand], elapsed)
    return best[True] * 1e3, best[False] * 1e3


def gqa_config(**overrides: object) -> GPTConfig:
    """A small Llama-style config with grouped-query attention (3 query heads per kv head)."""
    base: dict[str, object] = dict(
        vocab_size=512, block_size=4096, n_layer=4, n_head=6, n_kv_head=2, n_embd=192
    )
    base.update(overrides)
    return GPTConfig.llama(**base)
