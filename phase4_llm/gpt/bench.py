"""Benchmark: tokens/s with/without the KV cache (tiny model); ours vs transformers on SmolLM2."""

from __future__ import annotations

from functools import partial

import torch

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .config import GPTConfig
from .generate import generate
from .model import GPT


def run(quick: bool = False) -> list[BenchRow]:
    """KV cache vs none at 64/256/1024 new tokens; ours vs transformers' generate on SmolLM2."""
    rows = []
    torch.manual_seed(0)
    cfg = GPTConfig(vocab_size=256, block_size=1100, n_layer=4, n_head=4, n_embd=128)
    tiny = GPT(cfg).eval()
    prompt = torch.randint(0, 256, (1, 8))
    for n in sizes(quick, full=(64, 256, 1024), small=(16, 32, 64)):
        row = compare(
            "tiny GPT: cache vs none",
            n,
            partial(generate, tiny, prompt, n),
            partial(generate, tiny, prompt, n, use_cache=False),
            reference="ours without KV cache",
            repeats=1 if n >= 256 else 3,
        )
        row.quality["cached tok/s"] = n / row.ours_s
        row.quality["uncached tok/s"] = n / row.ref_s if row.ref_s else None
        rows.append(row)
    rows.extend(smollm2_rows(quick))
    return rows


def smollm2_rows(quick: bool) -> list[BenchRow]:
    """Greedy decoding of SmolLM2-135M: our model vs transformers' `generate`."""
    from . import reference as ref
    from .smollm2 import load_smollm2_reference
    from .weights import from_hf

    hf, tok = load_smollm2_reference()
    ours = from_hf(hf)
    ids = tok("The BBC reported that the economy", return_tensors="pt").input_ids
    rows = []
    # A SmolLM2 forward reads all 0.5 GB of weights, so every token costs; quick mode stays tiny.
    for n in sizes(quick, full=(8, 16, 32), small=(1, 2, 3)):
        out: dict[str, torch.Tensor] = {}
        row = compare(
            "SmolLM2-135M greedy generate",
            n,
            partial(lambda n, out: out.__setitem__("ours", generate(ours, ids, n)), n, out),
            partial(
                lambda n, out: out.__setitem__("ref", ref.hf_generate(hf, ids, n, do_sample=False)),
                n,
                out,
            ),
            reference=reference_version("transformers"),
            repeats=1,
            warmup=0,
        )
        row.quality["tokens identical"] = bool(torch.equal(out["ours"], out["ref"]))
        row.quality["ours tok/s"] = n / row.ours_s
        row.quality["ref tok/s"] = n / row.ref_s if row.ref_s else None
        rows.append(row)
    return rows
