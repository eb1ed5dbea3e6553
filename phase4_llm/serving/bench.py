"""Serving benchmark: continuous batching vs one request at a time vs transformers' generate.

The same GPT-2-style weights (random, seeded) serve the same requests at 1, 4 and 16
concurrent clients: our engine with continuous batching (ours), our engine with batch size 1
(reference), and transformers' `generate` on the transformers model the weights came from,
one request at a time. Each row's quality holds the vLLM-style metrics of both sides and the
output-tokens/s ratio. One intra-op thread for all three (fair, and fast on a shared CPU).
"""

from __future__ import annotations

from typing import Any

import torch

from phase0_env.common.bench import BenchRow, compare, format_rows, sizes
from phase0_env.common.loadresult import LoadResult
from phase0_env.common.parity import reference_version

from .engine import Engine
from .kv_pool import bytes_per_token
from .loadtest import engine_server, run_load, transformers_server
from .workload import mixed_prompts, torch_threads

ONE_AT_A_TIME = "ours, batch size 1"


def bench_model(seed: int = 0) -> Any:
    """A seeded random transformers GPT-2 (4 layers, width 128, 256 positions), eval mode."""
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    cfg = GPT2Config(
        vocab_size=257,
        n_positions=256,
        n_embd=128,
        n_layer=4,
        n_head=4,
        bos_token_id=None,
        eos_token_id=None,
        pad_token_id=0,
    )
    return GPT2LMHeadModel(cfg).eval()


def run(quick: bool = False) -> list[BenchRow]:
    """Rows per concurrency: continuous vs one-at-a-time, continuous vs transformers."""
    from phase4_llm.gpt.weights import from_hf

    n_requests, new_tokens = (16, 24) if quick else (48, 64)
    rows = []
    with torch_threads(1):
        hf = bench_model()
        ours_model = from_hf(hf)
        requests = [(p, new_tokens) for p, _ in mixed_prompts(n_requests, seed=21, max_prompt=64)]
        budget = 16 * 256 * bytes_per_token(ours_model.config, torch.float32)  # 16 slots
        batching = Engine(ours_model, eos_token_id=None, kv_budget_bytes=budget).start()
        single = Engine(ours_model, eos_token_id=None, kv_budget_bytes=budget, max_running=1)
        single.start()
        try:
            for c in sizes(quick, full=(1, 4, 16), small=(1, 4, 16)):
                got: dict[str, LoadResult] = {}

                def measure(name: str, serve: Any, c: int = c, got: dict = got) -> None:
                    got[name] = run_load(serve, requests, c)

                row = compare(
                    "continuous vs one-at-a-time",
                    c,
                    lambda: measure("ours", engine_server(batching)),
                    lambda: measure("single", engine_server(single)),
                    reference=ONE_AT_A_TIME,
                    repeats=1,
                    warmup=0 if c > 1 else 1,
                )
                row.quality = _quality(got["ours"], got["single"])
                row.metrics = {  # type: ignore[attr-defined]
                    "ours": got["ours"].token_summary(),
                    "ref": got["single"].token_summary(),
                }
                rows.append(row)
                hf_row = compare(
                    "continuous vs transformers",
                    c,
                    lambda: None,
                    lambda: measure("hf", transformers_server(hf)),
                    reference=f"{reference_version('transformers')} generate, 1 at a time",
                    repeats=1,
                    warmup=0,
                )
                hf_row.ours_s = row.ours_s  # the same continuous-batching run as above
                hf_row.quality = _quality(got["ours"], got["hf"])
                hf_row.metrics = {  # type: ignore[attr-defined]
                    "ours": got["ours"].token_summary(),
                    "ref": got["hf"].token_summary(),
                }
                rows.append(hf_row)
        finally:
            batching.stop()
            single.stop()
    return rows


def _quality(ours: LoadResult, ref: LoadResult) -> dict[str, Any]:
    """The scoreboard's compact figures (the demo's table reads `metrics`, set beside it)."""
    a, b = ours.token_summary(), ref.token_summary()
    return {
        "tok/s ratio": a["out_tok_per_s"] / b["out_tok_per_s"],
        "same tokens": ours.outputs == ref.outputs,
        "ours tok/s": a["out_tok_per_s"],
        "ref tok/s": b["out_tok_per_s"],
        "ours TTFT med ms": a["ttft_median_ms"],
        "ref TTFT med ms": b["ttft_median_ms"],
        "ours TPOT med ms": a["tpot_median_ms"],
        "ref TPOT med ms": b["tpot_median_ms"],
        "ours ITL p99 ms": a["itl_p99_ms"],
        "ref ITL p99 ms": b["itl_p99_ms"],
    }


def metrics_table(rows: list[BenchRow]) -> str:
    """The vLLM-style table: one line per (system, concurrency)."""
    head = (
        f"{'system':<34}{'clients':>8}{'req/s':>8}{'tok/s':>9}"
        f"{'TTFT mean/med/p99 ms':>24}{'TPOT mean/med/p99 ms':>24}{'ITL mean/med/p99 ms':>24}"
    )
    lines = [head, "-" * len(head)]
    seen = set()
    for r in rows:
        for side, name in (("ours", "continuous batching"), ("ref", r.reference)):
            key = (name, r.size)
            if key in seen:
                continue
            seen.add(key)
            m = r.metrics[side]  # type: ignore[attr-defined]

            def trio(key: str, m: dict = m) -> str:
                return "/".join(f"{m[f'{key}_{s}_ms']:.1f}" for s in ("mean", "median", "p99"))

            lines.append(
                f"{name[:33]:<34}{r.size!s:>8}{m['req_per_s']:>8.2f}"
                f"{m['out_tok_per_s']:>9.1f}{trio('ttft'):>24}{trio('tpot'):>24}"
                f"{trio('itl'):>24}"
            )
    ratios = [
        f"{r.size} clients: {r.quality['tok/s ratio']:.2f}x"
        for r in rows
        if r.reference == ONE_AT_A_TIME
    ]
    lines.append("output tok/s, continuous / one-at-a-time: " + ", ".join(ratios))
    return "\n".join(lines)


if __name__ == "__main__":
    result = run(quick=True)
    print(format_rows(result))
    print(metrics_table(result))
